using System.Collections.Frozen;

namespace Reconciler.Core.Resources;

/// <summary>Every kind of the model, with what the loader, the CRD generator and the engine need to know of it.</summary>
public static class ResourceCatalog
{
    /// <summary>Every kind, in the order manifests and generated files list them; <see cref="KindDescription.ApplyOrder"/> orders writes.</summary>
    public static readonly IReadOnlyList<ResourceKindInfo> Kinds =
    [
        Describe(PlatformConnectionKind.Description),
        Describe(OfficeHoursKind.Description),
        Describe(OrganizationKind.Description),
        Describe(RoleKind.Description),
        Describe(TagGroupKind.Description),
        Describe(SsoProviderKind.Description),
        Describe(BusinessUnitKind.Description),
        Describe(AgentKind.Description),
        Describe(ChannelKind.Description),
        Describe(ReplyTemplateKind.Description),
    ];

    private static readonly FrozenDictionary<string, ResourceKindInfo> ByKind =
        Kinds.ToFrozenDictionary(k => k.Kind, StringComparer.Ordinal);

    /// <summary>The singleton kind that supplies the organisation's time zone.</summary>
    public static readonly KindDescription TimeZoneSupplier =
        Kinds.Select(k => k.Description).Single(d => d.TimeZoneField is not null);

    public static ResourceKindInfo? Find(string kind) => ByKind.GetValueOrDefault(kind);

    public static ResourceKindInfo Get<TResource>() where TResource : Resource => KindOf<TResource>.Info;

    /// <summary>The description of a resource's kind.</summary>
    public static KindDescription DescriptionOf(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return ByKind[resource.Kind].Description;
    }

    /// <summary>A kind's description read once per type: mappers ask for it per resource and reading attributes is slow.</summary>
    private static class KindOf<TResource> where TResource : Resource
    {
        public static readonly ResourceKindInfo Info = ByKind[ResourceTypes.Of(typeof(TResource))!.Kind.Kind];
    }

    private static ResourceKindInfo Describe(KindDescription description)
    {
        var type = description.ResourceType;
        var facts = ResourceTypes.Of(type) ?? throw new InvalidOperationException($"{type.Name} lacks [KubernetesKind].");
        var kind = facts.Kind;
        return new ResourceKindInfo(
            kind.Kind,
            kind.Plural,
            kind.ShortNames,
            kind.Namespaced,
            type,
            facts.SpecType,
            facts.StatusType,
            facts.PrinterColumns,
            description);
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
    IReadOnlyList<PrinterColumnAttribute> PrinterColumns,
    KindDescription Description)
{
    public string Singular => Kind.ToLowerInvariant();
}
