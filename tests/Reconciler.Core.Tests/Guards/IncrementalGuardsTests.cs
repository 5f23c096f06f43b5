using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;
using Reconciler.Core.Guards;
using Reconciler.Core.Impact;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Guards;

/// <summary>
/// The guards' quick answers (from totals kept change by change, as the operator's cache keeps them) against a
/// from-scratch evaluation (every guard's full check over the whole organisation), over random organisations and plans.
/// </summary>
public sealed class IncrementalGuardsTests
{
    private static readonly string Agents = AgentKind.Description.Collection!;
    private static readonly string Roles = RoleKind.Description.Collection!;
    private static readonly string Units = BusinessUnitKind.Description.Collection!;
    private static readonly string Sso = SsoProviderKind.Description.Collection!;
    private static readonly string[] Permissions = ["agents.manage", "roles.manage", "sso.manage", "inbox.view"];
    private static readonly string[] Names = ["Ana", "Ben", "Cai", "Dan"];
    private static readonly double[] Fractions = [0, 0.1, 0.25, 0.5];
    private static readonly DesiredState Desired = new([], SecretValues.None);

    [Fact]
    public void Guards_answered_from_incremental_totals_give_the_verdicts_of_a_from_scratch_evaluation()
    {
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var organisation = Organisation(random);
                var plan = Plan(random, organisation);
                var policy = new GuardPolicy { MinAdmins = random.Next(0, 4), MaxRemovalFraction = Fractions[random.Next(Fractions.Length)] };
                var listed = new ObservedState(organisation, null);
                var cached = ChangeByChange(random, organisation).ToObservedState();

                var scratch = PlanGuards.EvaluateFully(new GuardInput(new ObservedState(organisation, null), plan, Desired, policy));

                // The same observation read the same way: the quick answers are the full check's findings, word for word.
                PlanGuards.Evaluate(new GuardInput(listed, plan, Desired, policy)).Should().BeEquivalentTo(scratch, o => o.WithStrictOrdering());

                // The cache's view, built change by change: the same guards, verdicts and resources (a name list may come in another order).
                Summary(PlanGuards.Evaluate(new GuardInput(cached, plan, Desired, policy))).Should().Equal(Summary(scratch));
            },
            iter: 3000);
    }

    [Fact]
    public void Totals_kept_change_by_change_or_counted_in_one_pass_equal_a_count_over_the_whole_organisation()
    {
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var organisation = Organisation(random);
                var whole = OrgSnapshot.From(organisation, null);
                foreach (var totals in new[] { ChangeByChange(random, organisation).Totals, ObservedView.From(organisation, null).Totals })
                    ShouldCount(totals, whole, organisation);
            },
            iter: 2000);
    }

    [Fact]
    public void A_plan_changing_one_agent_of_a_large_organisation_reads_no_whole_organisation()
    {
        var people = Enumerable.Range(0, 5_000).Select(i => Agent($"p{i}", "Ana", "r0", ["u0"], null, active: true)).ToList();
        var organisation = new Dictionary<string, IReadOnlyList<PlatformObject>>(StringComparer.Ordinal)
        {
            [Agents] = people,
            [Roles] = [Role("r0", Permissions)],
            [Units] = [Unit("u0")],
        };
        var view = ObservedView.From(organisation, null);
        var plan = new Plan { Changes = [Update(people[0], new JsonObject { ["active"] = false })] };

        var input = new GuardInput(view.ToObservedState(), plan, Desired, new GuardPolicy());
        var findings = PlanGuards.Evaluate(input);

        findings.Should().BeEmpty();
        input.After.Totals.ActiveAgents.Should().Be(4_999);
        input.After.Totals.Admins.Should().Be(4_999);
        input.HasWholeOrganisation.Should().BeFalse("no guard needed the whole organisation to answer");
    }

    private static void ShouldCount(OrgTotals totals, OrgSnapshot whole, Dictionary<string, IReadOnlyList<PlatformObject>> organisation)
    {
        totals.ActiveAgents.Should().Be(whole.ActivePeople.Count());
        totals.Admins.Should().Be(whole.Admins.Count());
        foreach (var unit in organisation[Units].Select(u => u.Id).Append("u-gone"))
            totals.ActiveMembersOf(unit).Should().Be(whole.ActivePeople.Count(p => p.UnitIds.Contains(unit)), unit);
        foreach (var person in organisation[Agents].Select(p => p.Id).Append("p-gone"))
            totals.ActiveReportsOf(person).Should().Be(whole.ActivePeople.Count(p => p.SupervisorId == person), person);
    }

    private static List<string> Summary(IEnumerable<GuardFinding> findings) =>
        [.. findings.Select(f => $"{f.Guard} {f.Verdict} [{string.Join(", ", f.Resources.Select(r => r.ToString()).Order(StringComparer.Ordinal))}]").Order(StringComparer.Ordinal)];

    /// <summary>The organisation's view built as a cache builds it: objects in any order, stale versions replaced, strays added and removed.</summary>
    private static ObservedView ChangeByChange(Random random, Dictionary<string, IReadOnlyList<PlatformObject>> organisation)
    {
        var steps = organisation.SelectMany(c => c.Value.Select(o => (Collection: c.Key, Object: o))).OrderBy(_ => random.Next()).ToList();
        var view = ObservedView.Empty;
        foreach (var collection in organisation.Keys.OrderBy(_ => random.Next()))
            view = view.WithCollection(collection);
        foreach (var (collection, o) in steps)
        {
            if (random.Next(3) == 0)
                view = view.With(collection, Stale(random, collection, o));
            if (random.Next(4) == 0)
                view = view.With(collection, Stale(random, collection, o with { Id = o.Id + "-stray", Key = o.Key + "-stray" }));
            view = view.With(collection, o);
        }

        foreach (var (collection, o) in steps)
            view = view.Without(collection, o.Id + "-stray");
        return view;
    }

    private static PlatformObject Stale(Random random, string collection, PlatformObject o) =>
        o with { Fields = Fields(random, collection, 6) };

    internal static Dictionary<string, IReadOnlyList<PlatformObject>> Organisation(Random random)
    {
        var roles = Enumerable.Range(0, random.Next(0, 5)).Select(i => Role($"r{i}", [.. Permissions.Where(_ => random.Next(3) > 0)])).ToList();
        var units = Enumerable.Range(0, random.Next(0, 4)).Select(i => Unit($"u{i}")).ToList();
        var agentCount = random.Next(0, 13);
        var organisation = new Dictionary<string, IReadOnlyList<PlatformObject>>(StringComparer.Ordinal)
        {
            [Roles] = roles,
            [Units] = units,
            [Sso] = [.. Enumerable.Range(0, random.Next(0, 3)).Select(i => new PlatformObject($"s{i}", $"sso-{i}", 1, new Dictionary<string, string>(), Fields(random, Sso, i)))],
            ["channels"] = [.. Enumerable.Range(0, random.Next(0, 3)).Select(i => new PlatformObject($"c{i}", $"channel-{i}", 1, new Dictionary<string, string>(), new JsonObject { ["businessUnitId"] = $"u{random.Next(0, 4)}" }))],
        };
        organisation[Agents] = [.. Enumerable.Range(0, agentCount).Select(i => new PlatformObject($"p{i}", $"p{i}@acme.example", 1, new Dictionary<string, string>(), Fields(random, Agents, agentCount)))];
        return organisation;
    }

    /// <summary>Up to <paramref name="most"/> creates, updates (whole or partial) and deletes of agents, roles, units and SSO providers.</summary>
    internal static Plan Plan(Random random, Dictionary<string, IReadOnlyList<PlatformObject>> organisation, int most = 4)
    {
        var changes = new List<PlannedChange>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        for (var i = random.Next(0, most + 1); i > 0; i--)
        {
            var collection = new[] { Agents, Agents, Agents, Roles, Units, Sso }[random.Next(6)];
            var kind = KindOf(collection);
            var existing = organisation[collection].Where(o => !touched.Contains(o.Id)).ToList();
            if (existing.Count == 0 || random.Next(4) == 0)
            {
                var name = $"new-{i}";
                changes.Add(new PlannedChange { Address = new ResourceId(kind, name), Action = ChangeAction.Create, Collection = collection, Key = name, Wanted = Fields(random, collection, organisation[Agents].Count) });
                continue;
            }

            var target = existing[random.Next(existing.Count)];
            touched.Add(target.Id);
            if (random.Next(4) == 0)
            {
                changes.Add(new PlannedChange { Address = new ResourceId(kind, target.Key), Action = ChangeAction.Delete, Collection = collection, Key = target.Key, ObjectId = target.Id, Observed = target });
                continue;
            }

            var wanted = Fields(random, collection, organisation[Agents].Count);
            foreach (var field in wanted.Select(f => f.Key).Where(_ => random.Next(2) == 0).ToList())
                wanted.Remove(field);
            changes.Add(Update(target, wanted) with { Address = new ResourceId(kind, target.Key), Collection = collection });
        }

        return new Plan { Changes = changes };
    }

    private static PlannedChange Update(PlatformObject target, JsonObject wanted) =>
        new() { Address = new ResourceId("Agent", target.Key), Action = ChangeAction.Update, Collection = Agents, Key = target.Key, ObjectId = target.Id, Observed = target, Wanted = wanted };

    private static string KindOf(string collection) =>
        collection == Agents ? "Agent" : collection == Roles ? "Role" : collection == Units ? "BusinessUnit" : "SsoProvider";

    private static JsonObject Fields(Random random, string collection, int people)
    {
        if (collection == Roles)
            return new JsonObject { ["permissions"] = new JsonArray([.. Permissions.Where(_ => random.Next(3) > 0).Select(p => (JsonNode?)p)]) };
        if (collection == Units)
            return new JsonObject { ["displayName"] = $"Unit {random.Next(9)}" };
        if (collection == Sso)
        {
            return new JsonObject
            {
                ["enabled"] = random.Next(3) > 0,
                ["enforced"] = random.Next(2) == 0,
                ["allowedDomains"] = new JsonArray([.. new[] { "a.example", "B.example" }.Where(_ => random.Next(2) == 0).Select(d => (JsonNode?)d)]),
            };
        }

        string? Pick(string prefix, int count, string gone) => random.Next(count + 2) switch
        {
            var n when n < count => $"{prefix}{n}",
            var n when n == count => gone,
            _ => null,
        };
        var supervisor = random.Next(6) == 0 ? "(pending)Agent/new-1" : Pick("p", people, "p-gone");
        var units = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Pick("u", 3, "u-gone") ?? "u0").Select(u => (JsonNode?)u);
        return Agent("", Names[random.Next(Names.Length)], Pick("r", 4, "r-gone"), [.. units.Select(u => u!.GetValue<string>())], supervisor, random.Next(10) < 7).Fields;
    }

    private static PlatformObject Agent(string id, string name, string? role, IReadOnlyList<string> units, string? supervisor, bool active) =>
        new(id, $"{id}@acme.example", 1, new Dictionary<string, string>(), new JsonObject
        {
            ["email"] = $"{id}@acme.example",
            ["displayName"] = name,
            ["roleId"] = role,
            ["businessUnitIds"] = new JsonArray([.. units.Select(u => (JsonNode?)u)]),
            ["supervisorId"] = supervisor,
            ["active"] = active,
        });

    private static PlatformObject Role(string id, string[] permissions) =>
        new(id, $"role-{id}", 1, new Dictionary<string, string>(), new JsonObject { ["permissions"] = new JsonArray([.. permissions.Select(p => (JsonNode?)p)]) });

    private static PlatformObject Unit(string id) =>
        new(id, $"unit-{id}", 1, new Dictionary<string, string>(), new JsonObject { ["displayName"] = $"Unit {id}" });
}
