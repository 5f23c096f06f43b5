using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;
using Reconciler.Core.Guards;
using Reconciler.Core.Impact;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Tests.Guards;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Tests.Impact;

public sealed class PlanStatesTests
{
    private static readonly string Agents = AgentKind.Description.Collection!;
    private static readonly string Units = BusinessUnitKind.Description.Collection!;

    [Fact]
    public void The_view_after_a_plan_built_whole_is_the_view_built_change_by_change()
    {
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var organisation = IncrementalGuardsTests.Organisation(random);
                var plan = IncrementalGuardsTests.Plan(random, organisation, most: 20);
                if (random.Next(3) == 0)
                    plan = plan with { Changes = [.. plan.Changes, OrganizationChange(random)] };
                var before = random.Next(2) == 0 ? ObservedView.From(organisation, Organization(random)) : ObservedView.From(organisation, null);

                ShouldBeSame(PlanStates.ViewAfter(before, plan, whole: true), PlanStates.ViewAfter(before, plan, whole: false));
            },
            iter: 2000);
    }

    [Fact]
    public void A_plan_changing_most_of_the_organisation_is_applied_whole_and_one_changing_little_change_by_change()
    {
        var people = Enumerable.Range(0, 1_000).Select(i => Agent($"p{i}")).ToList();
        var before = ObservedView.From(new Dictionary<string, IReadOnlyList<PlatformObject>>(StringComparer.Ordinal) { [Agents] = people }, null);
        var creates = Enumerable.Range(0, 500).Select(i => new PlannedChange
        {
            Address = new ResourceId("Agent", $"new-{i}"),
            Action = ChangeAction.Create,
            Collection = Agents,
            Key = $"new-{i}@acme.example",
            Wanted = new JsonObject { ["email"] = $"new-{i}@acme.example", ["active"] = true },
        }).ToList();

        var firstApply = PlanStates.ViewAfter(before, new Plan { Changes = creates });
        var oneEdit = PlanStates.ViewAfter(before, new Plan { Changes = creates[..1] });

        firstApply.Totals.ActiveAgents.Should().Be(1_500);
        oneEdit.Totals.ActiveAgents.Should().Be(1_001);
        oneEdit.FindById(Agents, "p0").Should().BeSameAs(before.FindById(Agents, "p0"), "a small plan shares the objects it does not change");
    }

    [Fact]
    public void The_guards_after_view_of_a_first_apply_and_the_impacts_after_snapshot_share_one_application_of_the_plan()
    {
        var people = Enumerable.Range(0, 100).Select(i => Agent($"p{i}")).ToList();
        var observed = new ObservedState(new Dictionary<string, IReadOnlyList<PlatformObject>>(StringComparer.Ordinal) { [Agents] = people }, null);
        var creates = Enumerable.Range(0, 500).Select(i => new PlannedChange
        {
            Address = new ResourceId("Agent", $"new-{i}"),
            Action = ChangeAction.Create,
            Collection = Agents,
            Key = $"new-{i}@acme.example",
            Wanted = new JsonObject { ["email"] = $"new-{i}@acme.example", ["active"] = i % 2 == 0 },
        }).ToList();
        var plan = new Plan { Changes = creates };
        var input = new GuardInput(observed, plan, new DesiredState([], SecretValues.None), new GuardPolicy());

        ShouldBeSame(input.After, PlanStates.ViewAfter(observed.View, plan, whole: false));
        var created = MappingContext.PendingId(creates[0].Address);
        input.States.After.People[created].Should().BeSameAs(input.After.PersonOf(created), "both read the same after object, once");
        input.States.After.ActivePeople.Count().Should().Be(input.After.Totals.ActiveAgents);
    }

    private static void ShouldBeSame(ObservedView whole, ObservedView byChange)
    {
        whole.CollectionNames.Should().BeEquivalentTo(byChange.CollectionNames);
        foreach (var collection in byChange.CollectionNames)
        {
            var objects = byChange.Of(collection).ToList();
            whole.Of(collection).Select(o => o.Id).Should().BeEquivalentTo(objects.Select(o => o.Id), collection);
            foreach (var o in objects)
            {
                var same = whole.FindById(collection, o.Id)!;
                (same.Key, same.Version).Should().Be((o.Key, o.Version));
                same.Labels.Should().Equal(o.Labels);
                JsonNode.DeepEquals(same.Fields, o.Fields).Should().BeTrue($"{collection}/{o.Id}: {same.Fields.ToJsonString()} vs {o.Fields.ToJsonString()}");
                whole.FindByKey(collection, o.Key)?.Id.Should().Be(byChange.FindByKey(collection, o.Key)?.Id);
            }
        }

        whole.Organization?.Id.Should().Be(byChange.Organization?.Id);
        JsonNode.DeepEquals(whole.Organization?.Fields, byChange.Organization?.Fields).Should().BeTrue();
        (whole.Totals.ActiveAgents, whole.Totals.Admins).Should().Be((byChange.Totals.ActiveAgents, byChange.Totals.Admins));
        foreach (var unit in byChange.Of(Units).Select(u => u.Id).Append("u-gone"))
            whole.Totals.ActiveMembersOf(unit).Should().Be(byChange.Totals.ActiveMembersOf(unit), unit);
        foreach (var person in byChange.Of(Agents).Select(p => p.Id).Append("p-gone"))
            whole.Totals.ActiveReportsOf(person).Should().Be(byChange.Totals.ActiveReportsOf(person), person);
    }

    private static PlannedChange OrganizationChange(Random random) => new()
    {
        Address = new ResourceId("Organization", "acme"),
        Action = ChangeAction.Update,
        Collection = AdminApi.Collections.Organization,
        Key = "acme",
        Wanted = new JsonObject { ["displayName"] = $"Acme {random.Next(9)}" },
    };

    private static PlatformObject Organization(Random random) =>
        new("org_1", "acme", 3, new Dictionary<string, string>(), new JsonObject { ["displayName"] = "Acme", ["seats"] = random.Next(9) });

    private static PlatformObject Agent(string id) =>
        new(id, $"{id}@acme.example", 1, new Dictionary<string, string>(), new JsonObject { ["email"] = $"{id}@acme.example", ["active"] = true });
}
