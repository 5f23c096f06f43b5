using Reconciler.Core.Mapping;

namespace Reconciler.Core.Resources;

/// <summary>Business units: reference their office hours.</summary>
public static class BusinessUnitKind
{
    public static readonly KindDescription<BusinessUnit> Description = new()
    {
        Collection = "business-units",
        ApplyOrder = 5,
        ExportFileName = "business-units.yaml",
        References = [ReferenceField<BusinessUnit>.One("spec.officeHoursRef", "OfficeHours", b => b.Spec.OfficeHoursRef)],
        Mapper = new BusinessUnitMapper(),
    };
}
