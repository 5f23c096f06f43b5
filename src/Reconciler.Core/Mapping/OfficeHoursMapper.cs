using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>Office hours: weekly intervals and holidays compared as sets.</summary>
public sealed class OfficeHoursMapper : KindMapper<OfficeHours, OfficeHoursDto>
{
    /// <summary>ISO 8601 week order, as people read a week.</summary>
    private static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("name") { ManifestName = "metadata.name" },
        new("displayName"),
        new("timezone"),
        new("weekly", ComparisonShape.UnorderedList) { Children = [new("days", ComparisonShape.Set) { ValueOrder = Weekdays }, new("opens"), new("closes")] },
        new("holidays", ComparisonShape.KeyedList) { KeyField = "date", Children = [new("date"), new("name"), new("opens"), new("closes")] },
    ];

    protected override DesiredObject Map(OfficeHours resource, MappingContext context) => Body(new OfficeHoursDto
    {
        Name = resource.Metadata.Name,
        DisplayName = resource.Spec.DisplayName ?? resource.Metadata.Name,
        Timezone = resource.Spec.Timezone,
        Weekly = [.. resource.Spec.Weekly.Select(w => new WeeklyIntervalDto { Days = [.. w.Days.Select(d => d.ToString())], Opens = w.Opens, Closes = w.Closes })],
        Holidays = [.. resource.Spec.Holidays.Select(h => new HolidayDto { Date = h.Date, Name = h.Name, Opens = h.Opens, Closes = h.Closes })],
    });

    protected override OfficeHours Export(OfficeHoursDto wire, ExportContext context)
    {
        var name = NameOf(wire, context);
        return new OfficeHours
        {
            Metadata = Meta(name),
            Spec = new OfficeHoursSpec
            {
                DisplayName = wire.DisplayName == name ? null : wire.DisplayName,
                Timezone = wire.Timezone ?? "UTC",
                Weekly = [.. (wire.Weekly ?? []).Select(w => new WeeklyInterval
                {
                    Days = [.. (w.Days ?? []).Select(d => Enum.Parse<DayOfWeek>(d, ignoreCase: true))],
                    Opens = w.Opens ?? "00:00",
                    Closes = w.Closes ?? "24:00",
                })],
                Holidays = [.. (wire.Holidays ?? []).Select(h => new Holiday { Date = h.Date ?? "", Name = h.Name ?? "", Opens = h.Opens, Closes = h.Closes })],
            },
        };
    }
}
