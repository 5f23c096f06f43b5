using Reconciler.Core.Mapping;

namespace Reconciler.Core.Resources;

/// <summary>Office hours: referenced by business units and the organisation, reference nothing.</summary>
public static class OfficeHoursKind
{
    public static readonly KindDescription<OfficeHours> Description = new()
    {
        Collection = "office-hours",
        ApplyOrder = 1,
        ExportFileName = "office-hours.yaml",
        Mapper = new OfficeHoursMapper(),
    };
}
