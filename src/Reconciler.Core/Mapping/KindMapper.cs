using System.Collections.ObjectModel;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>
/// Typed base of the kind mappers: a kind maps its resource to the contract's DTO (<see cref="Body"/>) and back from it
/// (<see cref="Export(TWire, ExportContext)"/>); the rules' field names are checked against the DTO (<see cref="WireShape"/>).
/// </summary>
public abstract class KindMapper<TResource, TWire> : IKindMapper
    where TResource : Resource
    where TWire : WireObject
{
    private KindDescription? _description;

    public string Kind { get; } = ResourceTypes.Of(typeof(TResource))!.Kind.Kind;

    // Read when used, not when built: the descriptions construct their mappers. Kept once read: the catalog looks the
    // kind up by reflection, and the planner asks for it per observed object.
    public KindDescription Description => _description ??= ResourceCatalog.Get<TResource>().Description;

    private KindDescription<TResource> Typed => (KindDescription<TResource>)Description;

    public string Collection => Description.Collection!;

    public bool IsSingleton => Description.IsSingleton;

    public Type WireType => typeof(TWire);

    public abstract IReadOnlyList<ComparisonRule> Rules { get; }

    public string NaturalKey(Resource resource) => Description.NaturalKey(resource);

    public IReadOnlyList<ResourceReference> References(Resource resource) => [.. References((TResource)resource)];

    public IReadOnlyList<SecretKeyRef> SecretReferences(Resource resource) => [.. SecretReferences((TResource)resource)];

    public ResourceId? ParentOf(Resource resource)
    {
        foreach (var field in Typed.References)
        {
            if (field.TargetKind != Kind)
                continue;
            foreach (var target in field.Read((TResource)resource))
                return new ResourceId(Kind, target.Name);
        }

        return null;
    }

    public DesiredObject Map(Resource resource, MappingContext context) => Map((TResource)resource, context);

    Resource IKindMapper.Export(PlatformObject platformObject, ExportContext context) =>
        Export(WireBody.Read<TWire>(platformObject.Fields) with { Id = platformObject.Id, Key = platformObject.Key }, context);

    /// <summary>The references the description declares, in field order.</summary>
    protected IEnumerable<ResourceReference> References(TResource resource) =>
        Description.ReferencesOf(resource).Select(r => new ResourceReference(r.Target, r.Field));

    protected virtual IEnumerable<SecretKeyRef> SecretReferences(TResource resource) => [];

    /// <summary>The desired body, usually <c>Body(new XDto { ... })</c>.</summary>
    protected abstract DesiredObject Map(TResource resource, MappingContext context);

    /// <summary>The manifest of a platform object read as the DTO (<see cref="WireObject.Id"/> and <see cref="WireObject.Key"/> set); references by name.</summary>
    protected abstract TResource Export(TWire wire, ExportContext context);

    /// <summary>The wire fields of <paramref name="wire"/> that <see cref="Rules"/> name; the server's fields (id, version, presence...) are left out.</summary>
    protected DesiredObject Body(TWire wire) => new(wire, Rules, ReadOnlyDictionary<string, string>.Empty, []);

    /// <summary>The platform ids of the references of <paramref name="resource"/> made by the field at <paramref name="path"/>.</summary>
    protected List<string> ResolveAll(TResource resource, MappingContext context, string path)
    {
        var field = FieldAt(path);
        var ids = new List<string>();
        foreach (var target in field.Read(resource))
            ids.Add(Resolve(context, new ResourceId(field.TargetKind, target.Name), path));
        return ids;
    }

    /// <summary>The platform id of the reference made by the field at <paramref name="path"/>, if it makes one (every reference it makes resolved, as <see cref="ResolveAll"/>).</summary>
    protected string? ResolveOne(TResource resource, MappingContext context, string path)
    {
        // Without ResolveAll's list: this runs for each single reference of each resource planned or validated.
        var field = FieldAt(path);
        string? one = null;
        var count = 0;
        foreach (var target in field.Read(resource))
        {
            one = Resolve(context, new ResourceId(field.TargetKind, target.Name), path);
            count++;
        }

        return count == 1 ? one : null;
    }

    /// <summary>The platform id of a reference; throws <see cref="ReferenceNotFoundException"/> when it names nothing.</summary>
    private static string Resolve(MappingContext context, ResourceId target, string path)
    {
        var lookup = context.References.Resolve(target);
        if (lookup.IsMissing)
            throw new ReferenceNotFoundException(new ResourceReference(target, path));
        return lookup.Id ?? MappingContext.PendingId(target);
    }

    /// <summary>The reference field at <paramref name="path"/>, found by index: no enumerator per reference field of each resource.</summary>
    private ReferenceField<TResource> FieldAt(string path)
    {
        var fields = Typed.References;
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Path == path)
                return fields[i];
        }

        throw new InvalidOperationException($"{Kind} declares no reference field '{path}'.");
    }

    /// <summary>The manifest name of the object of <paramref name="wire"/>.</summary>
    protected string NameOf(TWire wire, ExportContext context) => context.NameOf(Collection, wire.Id!)!;

    /// <summary>A reference, by manifest name, to the <typeparamref name="TTarget"/> whose platform id is <paramref name="id"/>.</summary>
    protected static ResourceRef? RefTo<TTarget>(ExportContext context, string? id)
        where TTarget : Resource =>
        id is null ? null : ResourceRef.FromString(context.NameOf(ResourceCatalog.Get<TTarget>().Description.Collection!, id) ?? id);

    protected static TEnum ReadEnum<TEnum>(string? value, TEnum fallback)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) ? parsed : fallback;

    protected static ObjectMeta Meta(string name) => new() { Name = name };
}
