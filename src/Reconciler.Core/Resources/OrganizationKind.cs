using Reconciler.Core.Mapping;

namespace Reconciler.Core.Resources;

/// <summary>The organisation profile: a singleton that always exists on the platform and is only ever updated.</summary>
public static class OrganizationKind
{
    /// <summary>The natural key of the one organisation profile.</summary>
    public const string SingletonKey = "organization";

    public static readonly KindDescription<Organization> Description = new()
    {
        Collection = "organization",
        ApplyOrder = 7,
        IsSingleton = true,
        ExportFileName = "organization.yaml",
        Key = _ => SingletonKey,
        TimeZone = new(o => o.Spec.Timezone, "timezone"),
        References = [ReferenceField<Organization>.One("spec.defaultOfficeHoursRef", "OfficeHours", o => o.Spec.DefaultOfficeHoursRef)],
        Mapper = new OrganizationMapper(),
    };
}
