using System.Text.Json.Nodes;
using Reconciler.Core.Engine;

namespace Reconciler.Core.Impact;

/// <summary>The guards' findings and the impact in the JSON plan (docs/plan-json.md, format 1.1).</summary>
public static class PlanReviewJson
{
    public static JsonArray Guards(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Array(plan.Guards.Select(g => new JsonObject
        {
            ["guard"] = g.Guard,
            ["verdict"] = g.Verdict.ToString().ToLowerInvariant(),
            ["message"] = g.Message,
            ["resources"] = Strings(g.Resources.Select(r => r.ToString())),
            ["override"] = g.Override,
        }));
    }

    public static JsonObject? Impact(PlanImpact? impact) => impact is null ? null : new JsonObject
    {
        ["access"] = new JsonObject
        {
            ["groups"] = Array(impact.Access.Groups.Select(g => new JsonObject
            {
                ["direction"] = g.Direction.ToString().ToLowerInvariant(),
                ["permissions"] = Strings(g.Permissions),
                ["all"] = g.All,
                ["cause"] = g.Cause,
                ["people"] = Strings(g.People),
            })),
            ["new_admins"] = Strings(impact.Access.NewAdmins),
            ["removed_admins"] = Strings(impact.Access.RemovedAdmins),
        },
        ["coverage"] = new JsonObject
        {
            ["gaps_opened"] = Array(impact.Coverage.Opened.Select(Gap)),
            ["gaps_closed"] = Array(impact.Coverage.Closed.Select(Gap)),
            ["capacity"] = Array(impact.Coverage.Capacity.Select(c => new JsonObject
            {
                ["business_unit"] = c.Unit,
                ["display_name"] = c.UnitDisplayName,
                ["before"] = c.Before,
                ["after"] = c.After,
            })),
        },
        ["licences"] = impact.Seats is not { } seats ? null : new JsonObject
        {
            ["seats_bought"] = seats.Bought,
            ["seats_used_before"] = seats.Before,
            ["seats_used_after"] = seats.After,
        },
    };

    private static JsonObject Gap(CoverageGap gap) => new()
    {
        ["business_unit"] = gap.Unit,
        ["display_name"] = gap.UnitDisplayName,
        ["language"] = gap.Language,
        ["interval"] = gap.Slot,
        ["time_zone"] = gap.TimeZone,
        ["agents"] = Strings(gap.Agents),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static JsonArray Array(IEnumerable<JsonNode> items) => new([.. items.Select(i => (JsonNode?)i)]);
}
