using System.Collections.Frozen;
using System.Reflection;

namespace Reconciler.Core.Resources;

/// <summary>Every kind of the model, with what the loader, the CRD generator and the engine need to know of it.</summary>
public static class ResourceCatalog
{
    /// <summary>Kinds in dependency order: a kind only references kinds before it (agents also reference agents).</summary>
    public static readonly IReadOnlyList<ResourceKindInfo> Kinds =
    [
        Describe<PlatformConnection>(),
        Describe<OfficeHours>(),
        Describe<Organization>(),
        Describe<Role>(),
        Describe<TagGroup>(),
        Describe<SsoProvider>(),
        Describe<BusinessUnit>(),
        Describe<Agent>(),
    ];

    private static readonly FrozenDictionary<string, ResourceKindInfo> ByKind =
        Kinds.ToFrozenDictionary(k => k.Kind, StringComparer.Ordinal);

    public static ResourceKindInfo? Find(string kind) => ByKind.GetValueOrDefault(kind);

    public static ResourceKindInfo Get<TResource>() where TResource : Resource =>
        ByKind[typeof(TResource).GetCustomAttribute<KubernetesKindAttribute>()!.Kind];

    private static ResourceKindInfo Describe<TResource>() where TResource : Resource
    {
        var type = typeof(TResource);
        var kind = type.GetCustomAttribute<KubernetesKindAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} lacks [KubernetesKind].");
        var specType = type.GetProperty("Spec")!.PropertyType;
        var statusType = type.GetProperty("Status")!.PropertyType;
        return new ResourceKindInfo(
            kind.Kind,
            kind.Plural,
            kind.ShortNames,
            kind.Namespaced,
            type,
            specType,
            statusType,
            [.. type.GetCustomAttributes<PrinterColumnAttribute>()]);
    }
}

/// <summary>What is known of one kind.</summary>
public sealed record ResourceKindInfo(
    string Kind,
    string Plural,
    IReadOnlyList<string> ShortNames,
    bool Namespaced,
    Type ResourceType,
    Type SpecType,
    Type StatusType,
    IReadOnlyList<PrinterColumnAttribute> PrinterColumns)
{
    public string Singular => Kind.ToLowerInvariant();
}
