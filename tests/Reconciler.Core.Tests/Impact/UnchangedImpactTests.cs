using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;
using Reconciler.Core.Impact;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Impact;

/// <summary>
/// The planner's quick answers for an unchanged run (impact and totals from the observation's counts) against the
/// straightforward computation over the whole organisation, over random organisations with hostile wire values.
/// </summary>
public sealed class UnchangedImpactTests
{
    private static readonly string Agents = AgentKind.Description.Collection!;
    private static readonly string Roles = RoleKind.Description.Collection!;
    private static readonly string Units = BusinessUnitKind.Description.Collection!;
    private static readonly string Hours = OfficeHoursKind.Description.Collection!;
    private static readonly string[] Permissions = ["agents.manage", "roles.manage", "sso.manage", "inbox.view"];

    [Fact]
    public void The_impact_of_a_plan_that_changes_nothing_is_the_impact_computed_over_the_whole_organisation_before_and_after()
    {
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var observed = new ObservedState(Organisation(random), Profile(random));

                var quick = PlanImpact.Unchanged(observed);

                quick.Should().BeEquivalentTo(PlanImpact.Of(PlanStates.Of(observed, new Plan())), o => o.WithStrictOrdering());
                PlanReviewJson.Impact(quick)!.ToJsonString().Should().Be(PlanReviewJson.Impact(PlanImpact.Of(PlanStates.Of(observed, new Plan())))!.ToJsonString());
            },
            iter: 1000);
    }

    [Fact]
    public void Totals_read_from_the_agents_wire_fields_equal_counts_over_the_whole_organisation()
    {
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var organisation = Organisation(random);
                var whole = OrgSnapshot.From(organisation, null);

                var totals = OrgTotals.OfAgents(whole.People.Keys.Select(id => organisation[Agents].Last(a => a.Id == id)), whole.Roles.Values);

                TotalsShouldCountTheWholeOrganisation(totals, whole);
            },
            iter: 2000);
    }

    [Fact]
    public void Totals_of_a_large_organisation_counted_in_parallel_equal_counts_over_the_whole_organisation()
    {
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var organisation = Organisation(random, agentCount: random.Next(2_000, 3_000));
                var whole = OrgSnapshot.From(organisation, null);
                var last = new Dictionary<string, PlatformObject>(StringComparer.Ordinal);
                foreach (var agent in organisation[Agents])
                    last[agent.Id] = agent;

                // A list, as a list pass hands it over: counted in ranges on several threads and added up.
                var totals = OrgTotals.OfAgents([.. whole.People.Keys.Select(id => last[id])], whole.Roles.Values);

                TotalsShouldCountTheWholeOrganisation(totals, whole);
            },
            iter: 20);
    }

    private static void TotalsShouldCountTheWholeOrganisation(OrgTotals totals, OrgSnapshot whole)
    {
        totals.ActiveAgents.Should().Be(whole.ActivePeople.Count());
        totals.Admins.Should().Be(whole.Admins.Count());
        foreach (var unit in new[] { "u0", "u1", "u2", "u-gone", "7" })
            totals.ActiveMembersOf(unit).Should().Be(whole.ActivePeople.Count(p => p.UnitIds.Contains(unit)), unit);
        foreach (var person in whole.People.Keys.Append("p-gone"))
            totals.ActiveReportsOf(person).Should().Be(whole.ActivePeople.Count(p => p.SupervisorId == person), person);

        // The holders counted per role show when a role becomes an admin role.
        foreach (var role in whole.Roles.Values)
        {
            var promoted = role with { Permissions = OrgSnapshot.AdminPermissions };
            var admins = whole with { Roles = whole.Roles.Values.ToDictionary(r => r.Id, r => r.Id == role.Id ? promoted : r) };
            totals.WithRole(role, promoted).Admins.Should().Be(admins.Admins.Count(), role.Id);
        }
    }

    private static Dictionary<string, IReadOnlyList<PlatformObject>> Organisation(Random random) => Organisation(random, random.Next(0, 14));

    private static Dictionary<string, IReadOnlyList<PlatformObject>> Organisation(Random random, int agentCount)
    {
        return new Dictionary<string, IReadOnlyList<PlatformObject>>(StringComparer.Ordinal)
        {
            [Roles] = [.. Enumerable.Range(0, random.Next(0, 4)).Select(i => Object($"r{i}", new JsonObject { ["permissions"] = Array(Permissions.Where(_ => random.Next(3) > 0)) }))],
            [Units] = [.. Enumerable.Range(0, random.Next(0, 4)).Select(i => Object($"u{i}", new JsonObject { ["displayName"] = $"Unit {i}", ["officeHoursId"] = random.Next(3) == 0 ? null : $"h{random.Next(2)}" }))],
            [Hours] = [.. Enumerable.Range(0, random.Next(0, 3)).Select(i => Object($"h{i}", OfficeHours(random)))],
            // Ids may repeat (the later object wins), and fields may hold what the platform should never send.
            [Agents] = [.. Enumerable.Range(0, agentCount).Select(_ => Object($"p{random.Next(agentCount + 1)}", AgentFields(random, agentCount)))],
        };
    }

    private static JsonObject AgentFields(Random random, int people)
    {
        JsonNode? Reference(string prefix, int count) => random.Next(8) switch
        {
            0 => null,
            1 => 7,
            2 => $"{prefix}-gone",
            _ => $"{prefix}{random.Next(count)}",
        };

        var units = new JsonArray();
        for (var i = random.Next(0, 5); i > 0; i--)
            units.Add(random.Next(6) == 0 ? JsonValue.Create(7) : (JsonNode?)$"u{random.Next(3)}");
        var fields = new JsonObject
        {
            ["email"] = $"p{random.Next(99)}@acme.example",
            ["displayName"] = $"Person {random.Next(99)}",
            ["roleId"] = Reference("r", 4),
            ["businessUnitIds"] = random.Next(8) == 0 ? "u0" : units,
            ["supervisorId"] = Reference("p", Math.Max(1, people)),
            ["level"] = random.Next(3) == 0 ? "L2" : "l1",
            ["languages"] = Array(new[] { "en", "DE", "pt-BR" }.Where(_ => random.Next(2) == 0)),
            ["maxConcurrentChats"] = random.Next(1, 5),
        };
        switch (random.Next(5))
        {
            case 0:
                break;
            case 1:
                fields["active"] = "no";
                break;
            default:
                fields["active"] = random.Next(3) > 0;
                break;
        }

        return fields;
    }

    private static JsonObject OfficeHours(Random random) => new()
    {
        ["displayName"] = "Hours",
        ["timezone"] = random.Next(2) == 0 ? "Europe/Lisbon" : "Nowhere/Else",
        ["weekly"] = new JsonArray(new JsonObject { ["days"] = Array(["monday", "tuesday"]), ["opens"] = "09:00", ["closes"] = "17:00" }),
        ["holidays"] = new JsonArray(new JsonObject { ["date"] = "2026-12-24", ["name"] = "Eve", ["opens"] = "10:00", ["closes"] = "12:00" }),
    };

    private static PlatformObject? Profile(Random random) => random.Next(3) switch
    {
        0 => null,
        1 => Object("org", new JsonObject { ["defaultOfficeHoursId"] = "h0" }),
        _ => Object("org", new JsonObject { ["defaultOfficeHoursId"] = "h1", ["licences"] = new JsonObject { ["seatsBought"] = random.Next(0, 10) } }),
    };

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)v)]);

    private static PlatformObject Object(string id, JsonObject fields) => new(id, "key-" + id, 1, new Dictionary<string, string>(), fields);
}
