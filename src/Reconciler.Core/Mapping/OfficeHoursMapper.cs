using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>Office hours: weekly intervals and holidays compared as sets.</summary>
public sealed class OfficeHoursMapper : KindMapper<OfficeHours>
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

    protected override DesiredObject Map(OfficeHours resource, MappingContext context) => Plain(new JsonObject
    {
        ["name"] = resource.Metadata.Name,
        ["displayName"] = resource.Spec.DisplayName ?? resource.Metadata.Name,
        ["timezone"] = resource.Spec.Timezone,
        ["weekly"] = new JsonArray([.. resource.Spec.Weekly.Select(w => (JsonNode?)new JsonObject
        {
            ["days"] = Strings(w.Days.Select(d => d.ToString())),
            ["opens"] = w.Opens,
            ["closes"] = w.Closes,
        })]),
        ["holidays"] = new JsonArray([.. resource.Spec.Holidays.Select(h => (JsonNode?)new JsonObject
        {
            ["date"] = h.Date,
            ["name"] = h.Name,
            ["opens"] = h.Opens,
            ["closes"] = h.Closes,
        })]),
    });

    public override OfficeHours Export(PlatformObject platformObject, ExportContext context)
    {
        var f = platformObject.Fields;
        var name = context.NameOf(Collection, platformObject.Id)!;
        var displayName = ReadString(f["displayName"]);
        return new OfficeHours
        {
            Metadata = Meta(name),
            Spec = new OfficeHoursSpec
            {
                DisplayName = displayName == name ? null : displayName,
                Timezone = ReadString(f["timezone"]) ?? "UTC",
                Weekly = [.. (f["weekly"] as JsonArray ?? []).OfType<JsonObject>().Select(w => new WeeklyInterval
                {
                    Days = [.. ReadStrings(w["days"]).Select(d => Enum.Parse<DayOfWeek>(d, ignoreCase: true))],
                    Opens = ReadString(w["opens"]) ?? "00:00",
                    Closes = ReadString(w["closes"]) ?? "24:00",
                })],
                Holidays = [.. (f["holidays"] as JsonArray ?? []).OfType<JsonObject>().Select(h => new Holiday
                {
                    Date = ReadString(h["date"]) ?? "",
                    Name = ReadString(h["name"]) ?? "",
                    Opens = ReadString(h["opens"]),
                    Closes = ReadString(h["closes"]),
                })],
            },
        };
    }
}
