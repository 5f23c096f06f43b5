using System.Reflection;
using System.Text.Json.Nodes;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine.Controllers;

/// <summary>Typed base of the kind controllers: does the casting so that each kind is written against its own type.</summary>
public abstract class KindController<TResource> : IKindController
    where TResource : Resource
{
    public string Kind { get; } = typeof(TResource).GetCustomAttribute<KubernetesKindAttribute>()!.Kind;

    public abstract string Collection { get; }

    public virtual bool IsSingleton => false;

    public abstract IReadOnlyList<FieldRule> Rules { get; }

    public string NaturalKey(Resource resource) => NaturalKey((TResource)resource);

    public IReadOnlyList<ResourceReference> References(Resource resource) => [.. References((TResource)resource)];

    public IReadOnlyList<SecretKeyRef> SecretReferences(Resource resource) => [.. SecretReferences((TResource)resource)];

    public DesiredObject Map(Resource resource, MappingContext context) => Map((TResource)resource, context);

    Resource IKindController.Export(PlatformObject platformObject, ExportContext context) => Export(platformObject, context);

    protected virtual string NaturalKey(TResource resource) => resource.Metadata.Name;

    protected abstract IEnumerable<ResourceReference> References(TResource resource);

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

    /// <summary>A Kubernetes-safe name from a platform key (agent e-mails, names with capitals).</summary>
    public static string ManifestName(string key)
    {
        var local = key.Split('@')[0].ToLowerInvariant();
        var chars = local.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var name = new string(chars).Trim('-');
        while (name.Contains("--", StringComparison.Ordinal))
            name = name.Replace("--", "-", StringComparison.Ordinal);
        return name.Length == 0 ? "unnamed" : name;
    }
}
