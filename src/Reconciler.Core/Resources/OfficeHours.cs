using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>Weekly opening hours in a time zone, with holidays.</summary>
[KubernetesKind("OfficeHours", "officehours", ShortNames = ["oh"])]
[PrinterColumn("TIMEZONE", ".spec.timezone")]
[Description("Weekly opening hours in one time zone, and the holidays when they do not apply.")]
public sealed record OfficeHours : Resource<OfficeHoursSpec, ResourceStatus>;

[Description("Desired opening hours and holidays.")]
public sealed record OfficeHoursSpec
{
    [MaxLength(200)]
    [Description("Name shown on the platform; defaults to metadata.name.")]
    public string? DisplayName { get; init; }

    [Required]
    [Description("IANA time zone the hours are in, e.g. America/Sao_Paulo.")]
    public required string Timezone { get; init; }

    [Description("Opening intervals; intervals of one day must not overlap.")]
    public IReadOnlyList<WeeklyInterval> Weekly { get; init; } = [];

    [Description("Days closed, or open with special hours.")]
    public IReadOnlyList<Holiday> Holidays { get; init; } = [];

    [Description("Delete removes the office hours from the platform when the resource is deleted; Orphan leaves them.")]
    public DeletionPolicy DeletionPolicy { get; init; } = DeletionPolicy.Delete;
}

[Description("An opening interval on some days of the week.")]
public sealed record WeeklyInterval
{
    [Required]
    [MinLength(1)]
    [Description("Days the interval applies to.")]
    public required IReadOnlyList<DayOfWeek> Days { get; init; }

    [Required]
    [RegularExpression("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    [Description("Opening time, HH:MM (24h).")]
    public required string Opens { get; init; }

    [Required]
    [RegularExpression("^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    [Description("Closing time, HH:MM (24h), after opens; 24:00 is midnight.")]
    public required string Closes { get; init; }
}

[Description("A holiday: closed all day unless opens and closes are given.")]
public sealed record Holiday
{
    [Required]
    [RegularExpression("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    [Description("Date, YYYY-MM-DD.")]
    public required string Date { get; init; }

    [Required]
    [MaxLength(200)]
    [Description("Name of the holiday.")]
    public required string Name { get; init; }

    [RegularExpression("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    [Description("Special opening time, HH:MM.")]
    public string? Opens { get; init; }

    [RegularExpression("^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    [Description("Special closing time, HH:MM.")]
    public string? Closes { get; init; }
}
