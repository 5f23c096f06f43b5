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
    [CrdString(Pattern = Patterns.TimeZone, MaxLength = 64)]
    [Description("IANA time zone the hours are in, e.g. America/Sao_Paulo.")]
    public required string Timezone { get; init; }

    [MaxLength(50)]
    [CelRule(
        "self.all(a, int(a.opens.replace(':', '')) >= int(a.closes.replace(':', '')) || self.exists_one(b, b.days.exists(d, d in a.days)"
        + " && int(a.opens.replace(':', '')) < int(b.closes.replace(':', '')) && int(b.opens.replace(':', '')) < int(a.closes.replace(':', ''))))",
        "intervals of one day must not overlap")]
    [Description("Opening intervals; intervals of one day must not overlap.")]
    public IReadOnlyList<WeeklyInterval> Weekly { get; init; } = [];

    [MaxLength(1000)]
    [CrdList(CrdListType.Map, "date")]
    [Description("Days closed, or open with special hours; each date once.")]
    public IReadOnlyList<Holiday> Holidays { get; init; } = [];

    [Description("Delete removes the office hours from the platform when the resource is deleted; Orphan leaves them.")]
    public DeletionPolicy DeletionPolicy { get; init; } = DeletionPolicy.Delete;
}

[Description("An opening interval on some days of the week.")]
[CelRule(CelRules.ClosesAfterOpens, "closes must be after opens", FieldPath = ".closes")]
public sealed record WeeklyInterval
{
    [Required]
    [MinLength(1)]
    [MaxLength(7)]
    [CrdList(CrdListType.Set)]
    [CrdString(MaxLength = 9)]
    [Description("Days the interval applies to, each once.")]
    public required IReadOnlyList<DayOfWeek> Days { get; init; }

    [Required]
    [RegularExpression(Patterns.OpeningTime)]
    [CrdString(MaxLength = 5)]
    [Description("Opening time, HH:MM (24h).")]
    public required string Opens { get; init; }

    [Required]
    [RegularExpression(Patterns.ClosingTime)]
    [CrdString(MaxLength = 5)]
    [Description("Closing time, HH:MM (24h), after opens; 24:00 is midnight.")]
    public required string Closes { get; init; }
}

[Description("A holiday: closed all day unless opens and closes are given.")]
[CelRule("has(self.opens) == has(self.closes)", "special hours need both opens and closes; leave both out for a day closed", FieldPath = ".opens")]
[CelRule(CelRules.ClosesAfterOpens, "closes must be after opens", FieldPath = ".closes")]
public sealed record Holiday
{
    [Required]
    [RegularExpression(Patterns.Date)]
    [CrdString(Format = "date", MaxLength = 10)]
    [CelRule(
        "!self.matches('" + Patterns.Date + "') || (int(self.substring(0, 4)) >= 1"
        + " && int(self.substring(5, 7)) >= 1 && int(self.substring(5, 7)) <= 12 && int(self.substring(8, 10)) >= 1"
        + " && int(self.substring(8, 10)) <= (self.substring(5, 7) == '02'"
        + " ? (int(self.substring(0, 4)) % 4 == 0 && (int(self.substring(0, 4)) % 100 != 0 || int(self.substring(0, 4)) % 400 == 0) ? 29 : 28)"
        + " : (self.substring(5, 7) in ['04', '06', '09', '11'] ? 30 : 31)))",
        "must be a calendar date")]
    [Description("Date, YYYY-MM-DD.")]
    public required string Date { get; init; }

    [Required]
    [MaxLength(200)]
    [Description("Name of the holiday.")]
    public required string Name { get; init; }

    [RegularExpression(Patterns.OpeningTime)]
    [CrdString(MaxLength = 5)]
    [Description("Special opening time, HH:MM.")]
    public string? Opens { get; init; }

    [RegularExpression(Patterns.ClosingTime)]
    [CrdString(MaxLength = 5)]
    [Description("Special closing time, HH:MM.")]
    public string? Closes { get; init; }
}
