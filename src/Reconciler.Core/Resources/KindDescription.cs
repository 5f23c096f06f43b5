using System.Globalization;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Schedules;

namespace Reconciler.Core.Resources;

/// <summary>
/// Everything the code knows of one kind beyond its schema: platform collection, natural key, references, singleton-ness,
/// built-in objects, apply order, export file and the status facts the platform maintains. Generic code asks this, never
/// the kind's name; the catalog, the dependency order and the mappers' registry derive from the descriptions.
/// </summary>
public abstract class KindDescription
{
    private static readonly IReadOnlySet<string> NoNames = new HashSet<string>(StringComparer.Ordinal);

    protected KindDescription(Type resourceType)
    {
        ResourceType = resourceType;
        Kind = ResourceTypes.Of(resourceType)?.Kind.Kind
            ?? throw new InvalidOperationException($"{resourceType.Name} lacks [KubernetesKind].");
    }

    public Type ResourceType { get; }

    public string Kind { get; }

    /// <summary>The kind in running text ("role", "business unit").</summary>
    public string Noun => string.Concat(Kind.Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The Admin API collection; null for a kind that is not a platform object (PlatformConnection).</summary>
    public string? Collection { get; init; }

    /// <summary>Position when applying: a kind references only kinds of a lower order (and its own kind).</summary>
    public required int ApplyOrder { get; init; }

    /// <summary>At most one per set; on the platform, an object that always exists and is only updated.</summary>
    public bool IsSingleton { get; init; }

    /// <summary>Names of objects every platform has: they can be referenced without a manifest, never defined or changed.</summary>
    public IReadOnlySet<string> BuiltIn { get; init; } = NoNames;

    /// <summary>The file <c>export --split</c> writes the kind's manifests to.</summary>
    public required string ExportFileName { get; init; }

    /// <summary>Changes the spec dates itself (activeFrom, temporary windows); null for a kind without any.</summary>
    public DatedChanges? Dated { get; init; }

    /// <summary>How the kind maps to and from the platform's wire objects; null for a kind that is not a platform object.</summary>
    public IKindMapper? Mapper { get; init; }

    /// <summary>
    /// The wire field of the observed singleton holding the organisation's time zone, on the one kind that supplies it
    /// (dates everywhere are read in that zone); null for every other kind.
    /// </summary>
    public abstract string? TimeZoneField { get; }

    /// <summary>The organisation time zone this resource sets, when its kind supplies it.</summary>
    public abstract string? TimeZoneOf(Resource resource);

    /// <summary>Whether the natural key is <c>metadata.name</c>: then an object made by hand can be referenced by its key.</summary>
    public abstract bool KeyIsName { get; }

    public abstract string NaturalKey(Resource resource);

    /// <summary>The manifest field holding the natural key (<c>spec.email</c>); null when the key is the name or fixed.</summary>
    public abstract string? KeyPath { get; }

    /// <summary>Whether the platform compares the key ignoring case (an agent's e-mail).</summary>
    public abstract bool KeyIgnoresCase { get; }

    /// <summary>The key field's value as the manifest writes it; null when the kind has no key field.</summary>
    public abstract string? KeyAsWritten(Resource resource);

    /// <summary>The names this resource references, in field order.</summary>
    public abstract IEnumerable<FoundReference> ReferencesOf(Resource resource);

    /// <summary>The mapped references and those that only apply when due (dated overrides): what validation checks.</summary>
    public abstract IEnumerable<FoundReference> ValidatedReferencesOf(Resource resource);

    /// <summary>The fields that reference other kinds.</summary>
    public abstract IReadOnlyList<ReferenceFieldInfo> ReferenceFields { get; }

    /// <summary>Whether a platform object is one of the platform's own, read-only objects.</summary>
    public bool IsBuiltInObject(PlatformObject observed) => BuiltIn.Count > 0 && observed.Fields["builtIn"]?.GetValue<bool>() == true;

    /// <summary>Gauges the operator exports per resource from its status (a channel's connection); none for most kinds.</summary>
    public IReadOnlyList<StatusGauge> Gauges { get; init; } = [];

    /// <summary>
    /// What the platform does by itself when a create or update of this kind is applied (an agent's invitation e-mail),
    /// from the desired wire body and the object as observed (null for a create): sentences the plan shows under the
    /// change. None for most kinds.
    /// </summary>
    public Func<JsonObject, PlatformObject?, IEnumerable<string>>? Effects { get; init; }

    /// <summary>
    /// The status with what the platform maintains itself and the console shows (an agent's presence); the platform's
    /// words in it have the resource's <paramref name="secrets"/> masked.
    /// </summary>
    public virtual ResourceStatus WithObservedFacts(ResourceStatus status, PlatformObject? observed, SecretValues secrets) => status;

    /// <summary>A manifest name for a platform object that has none: its key, made Kubernetes-safe when the key is not a name.</summary>
    public string ManifestNameOf(string key) => KeyIsName ? key : ManifestNames.FromKey(key);
}

/// <summary>The description of a kind, written against its own type.</summary>
public sealed class KindDescription<TResource>() : KindDescription(typeof(TResource))
    where TResource : Resource
{
    private readonly Func<TResource, string>? _naturalKey;
    private readonly NaturalKeyField<TResource>? _keyField;

    /// <summary>A natural key computed from the resource (a singleton's fixed key); <c>metadata.name</c> when neither this nor <see cref="KeyField"/> is set.</summary>
    public Func<TResource, string>? Key
    {
        get => _naturalKey;
        init => _naturalKey = value;
    }

    /// <summary>The spec field that is the platform's natural key (an agent's e-mail, a template's shortcut).</summary>
    public NaturalKeyField<TResource>? KeyField
    {
        get => _keyField;
        init
        {
            _keyField = value;
            _naturalKey = value is null ? null : value.IgnoresCase ? r => value.Read(r).ToLowerInvariant() : value.Read;
        }
    }

    public IReadOnlyList<ReferenceField<TResource>> References { get; init; } = [];

    /// <summary>References that are not mapped as written but replace mapped ones when due (an agent's temporary role).</summary>
    public Func<TResource, IEnumerable<FoundReference>>? DueReferences { get; init; }

    /// <summary>What the platform maintains on the object and the status shows; none when not set.</summary>
    public Func<ResourceStatus, PlatformObject, SecretValues, ResourceStatus>? StatusFacts { get; init; }

    /// <summary>Set on the singleton kind that supplies the organisation's time zone: how to read it from a manifest and the wire.</summary>
    public TimeZoneSource<TResource>? TimeZone { get; init; }

    public override string? TimeZoneField => TimeZone?.WireField;

    public override string? TimeZoneOf(Resource resource) => TimeZone?.Read((TResource)resource);

    public override bool KeyIsName => _naturalKey is null;

    public override IReadOnlyList<ReferenceFieldInfo> ReferenceFields => References;

    public override string NaturalKey(Resource resource) => _naturalKey is null ? resource.Metadata.Name : _naturalKey((TResource)resource);

    public override string? KeyPath => KeyField?.Path;

    public override bool KeyIgnoresCase => KeyField?.IgnoresCase ?? false;

    public override string? KeyAsWritten(Resource resource) => KeyField?.Read((TResource)resource);

    public override IEnumerable<FoundReference> ReferencesOf(Resource resource)
    {
        var typed = (TResource)resource;
        foreach (var field in References)
        {
            var i = 0;
            foreach (var target in field.Read(typed))
            {
                yield return new FoundReference(field.Path, field.TargetKind, target.Name) { Index = field.IsList ? i : null };
                i++;
            }
        }
    }

    public override IEnumerable<FoundReference> ValidatedReferencesOf(Resource resource) =>
        DueReferences is null ? ReferencesOf(resource) : ReferencesOf(resource).Concat(DueReferences((TResource)resource));

    public override ResourceStatus WithObservedFacts(ResourceStatus status, PlatformObject? observed, SecretValues secrets) =>
        StatusFacts is null || observed is null ? status : StatusFacts(status, observed, secrets);
}

/// <summary>The spec field at <see cref="Path"/> holding a kind's natural key; lower-cased as the key when the platform ignores its case.</summary>
public sealed record NaturalKeyField<TResource>(string Path, Func<TResource, string> Read, bool IgnoresCase = false)
    where TResource : Resource;

/// <summary>Where a kind holds the organisation's time zone: in its manifest and in a wire field of its observed singleton.</summary>
public sealed record TimeZoneSource<TResource>(Func<TResource, string?> Read, string WireField)
    where TResource : Resource;

/// <summary>A field that references resources of another kind.</summary>
public abstract record ReferenceFieldInfo(string Path, string TargetKind, bool IsList);

/// <summary>A reference field of <typeparamref name="TResource"/> and how to read the names it holds.</summary>
public sealed record ReferenceField<TResource>(string Path, string TargetKind, Func<TResource, IEnumerable<ResourceRef>> Read, bool IsList = false)
    : ReferenceFieldInfo(Path, TargetKind, IsList)
    where TResource : Resource
{
    /// <summary>A field holding at most one reference.</summary>
    public static ReferenceField<TResource> One(string path, string targetKind, Func<TResource, ResourceRef?> read) =>
        new(path, targetKind, r => read(r) is { } one ? [one] : []);

    /// <summary>A field holding a list of references.</summary>
    public static ReferenceField<TResource> Many(string path, string targetKind, Func<TResource, IEnumerable<ResourceRef>> read) =>
        new(path, targetKind, read, IsList: true);
}

/// <summary>One reference a resource makes: where (<see cref="Path"/> with its indexes, <see cref="Field"/> without), to what.</summary>
/// <remarks>
/// The path is written out only when read: only a reference that is not found is reported by it, and the walks of
/// every reference (validation, the planner's dependencies) made a string per list item for nothing.
/// </remarks>
public sealed record FoundReference(string Field, string TargetKind, string Name)
{
    /// <summary>Where the reference is up to its own index: <see cref="Field"/> unless an enclosing list is indexed (<c>spec.temporary[0].roleRef</c>).</summary>
    public string Location { get; init; } = Field;

    /// <summary>The reference's position when the field is a list of them.</summary>
    public int? Index { get; init; }

    public string Path => Index is { } index ? string.Create(CultureInfo.InvariantCulture, $"{Location}[{index}]") : Location;

    public ResourceId Target => new(TargetKind, Name);
}
