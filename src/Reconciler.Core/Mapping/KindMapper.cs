using System.Reflection;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>Typed base of the kind controllers: does the casting so that each kind is written against its own type.</summary>
public abstract class KindMapper<TResource> : IKindMapper
    where TResource : Resource
{
    private KindDescription? description;

    public string Kind { get; } = typeof(TResource).GetCustomAttribute<KubernetesKindAttribute>()!.Kind;

    // Read when used, not when built: the descriptions construct their mappers. Kept once read: the catalog looks the
    // kind up by reflection, and the planner asks for it per observed object.
    public KindDescription Description => description ??= ResourceCatalog.Get<TResource>().Description;

    public string Collection => Description.Collection!;

    public bool IsSingleton => Description.IsSingleton;

    public abstract IReadOnlyList<ComparisonRule> Rules { get; }

    public string NaturalKey(Resource resource) => Description.NaturalKey(resource);

    public IReadOnlyList<ResourceReference> References(Resource resource) => [.. References((TResource)resource)];

    public IReadOnlyList<SecretKeyRef> SecretReferences(Resource resource) => [.. SecretReferences((TResource)resource)];

    public DesiredObject Map(Resource resource, MappingContext context) => Map((TResource)resource, context);

    Resource IKindMapper.Export(PlatformObject platformObject, ExportContext context) => Export(platformObject, context);

    /// <summary>The references the description declares, in field order.</summary>
    protected IEnumerable<ResourceReference> References(TResource resource) =>
        Description.ReferencesOf(resource).Select(r => new ResourceReference(r.Target, r.Field));

    protected virtual IEnumerable<SecretKeyRef> SecretReferences(TResource resource) => [];

    protected abstract DesiredObject Map(TResource resource, MappingContext context);

    public abstract TResource Export(PlatformObject platformObject, ExportContext context);

    protected static DesiredObject Plain(JsonObject fields) => new(fields, new Dictionary<string, string>(), []);

    protected static string Resolve(MappingContext context, ResourceReference reference)
    {
        var lookup = context.References.Resolve(reference.Target);
        if (lookup.IsMissing)
            throw new ReferenceNotFoundException(reference);
        return lookup.Id ?? MappingContext.PendingId(reference.Target);
    }

    protected static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    protected static IReadOnlyList<string> ReadStrings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Where(n => n is not null).Select(n => n!.ToString())] : [];

    protected static string? ReadString(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node?.ToString();

    protected static TEnum ReadEnum<TEnum>(JsonNode? node, TEnum fallback)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(ReadString(node), ignoreCase: true, out var value) ? value : fallback;

    protected static ObjectMeta Meta(string name) => new() { Name = name };
}
