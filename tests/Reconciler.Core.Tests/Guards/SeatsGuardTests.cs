using Reconciler.Core.Engine;
using Reconciler.Core.Guards;
using Reconciler.Core.Tests.Engine;

namespace Reconciler.Core.Tests.Guards;

/// <summary>The seats guard: a plan may not activate agents beyond the seats bought; an account already over is only warned about.</summary>
public sealed class SeatsGuardTests
{
    private static readonly GuardOrganization Baseline = new GuardOrganization().Deactivate("gus", "hal");

    private static async Task<EngineHarness> AppliedBaselineAsync(int seats)
    {
        var harness = new EngineHarness();
        var result = await harness.ApplyAsync(Baseline.Yaml());
        result.Succeeded.Should().BeTrue(string.Join("; ", result.Results.Select(r => r.Message)));
        harness.Platform.SellSeats(seats);
        harness.Platform.Calls.Clear();
        return harness;
    }

    private static GuardOrganization Activate(params string[] names) =>
        names.Aggregate(Baseline, (org, name) => org.WithAgent(name, a => a with { Active = true }));

    [Fact]
    public async Task Activating_agents_beyond_the_seats_bought_is_refused_naming_the_count_and_the_agents_and_writes_nothing()
    {
        var harness = await AppliedBaselineAsync(seats: 7);

        var run = await harness.PlanAsync(Activate("gus", "hal").Yaml());
        var result = await harness.ApplyAsync(run);

        var finding = run.Plan.GuardRefusals.Should().ContainSingle().Subject;
        finding.Guard.Should().Be("seats");
        finding.Message.Should().Be("the plan leaves 8 active agents but 7 seats are bought (1 over); it activates 2: Hal Berg, Gus Brand", "in plan order: a supervisor before the agents they supervise");
        finding.Resources.Select(r => r.ToString()).Should().BeEquivalentTo(["Agent/gus", "Agent/hal"]);
        finding.Override.Should().Be("--allow seats");
        harness.Platform.Writes.Should().Be(0);
        result.Succeeded.Should().BeFalse();
    }

    [Fact]
    public async Task The_same_plan_is_allowed_with_allow_seats_and_then_the_organisation_is_warned_about()
    {
        var harness = await AppliedBaselineAsync(seats: 7);

        var run = await harness.PlanAsync(Activate("gus", "hal").Yaml(), new PlanOptions { Guards = new GuardPolicy { Allowed = new HashSet<string> { "seats" } } });
        (await harness.ApplyAsync(run)).Succeeded.Should().BeTrue();

        run.Plan.Guards.Should().ContainSingle(g => g.Guard == "seats").Which.Verdict.Should().Be(GuardVerdict.Allowed);
        var again = await harness.PlanAsync(Activate("gus", "hal").WithAgent("eve", a => a with { Languages = "en, es" }).Yaml());
        again.Plan.IsBlocked.Should().BeFalse("an organisation already over its seats may still make unrelated changes");
        again.Plan.Guards.Should().ContainSingle().Which.Should().Match<GuardFinding>(g =>
            g.Guard == "seats" && g.Verdict == GuardVerdict.Warning && g.Message == "the organisation has 8 active agents but 7 seats bought (1 over)");
    }

    [Theory]
    [InlineData(8, "gus, hal", false, "exactly as many active agents as seats")]
    [InlineData(7, "gus", false, "one activation fills the last seat")]
    [InlineData(6, "", false, "nothing is activated: an account already over is only warned about")]
    [InlineData(7, "gus, hal", true, "two activations, one seat")]
    public async Task Only_a_plan_that_activates_agents_past_the_seats_is_refused(int seats, string activate, bool refused, string why)
    {
        var harness = await AppliedBaselineAsync(seats);
        var names = activate.Split(", ", StringSplitOptions.RemoveEmptyEntries);

        var run = await harness.PlanAsync(Activate(names).WithAgent("ana", a => a with { Languages = "en, fr" }).Yaml());

        run.Plan.GuardRefusals.Any(g => g.Guard == "seats").Should().Be(refused, why);
    }

    [Fact]
    public async Task Deactivating_one_and_activating_another_at_the_limit_passes()
    {
        var harness = await AppliedBaselineAsync(seats: 6);

        var run = await harness.PlanAsync(Activate("gus").Deactivate("eve").Yaml());

        run.Plan.Guards.Should().NotContain(g => g.Guard == "seats");
    }

    [Fact]
    public async Task An_account_without_a_seat_limit_is_never_checked_and_the_plan_shows_no_licence_line()
    {
        var harness = new EngineHarness();
        (await harness.ApplyAsync(Baseline.Yaml())).Succeeded.Should().BeTrue();

        var run = await harness.PlanAsync(Activate("gus", "hal").Yaml());

        run.Plan.Guards.Should().NotContain(g => g.Guard == "seats");
        PlanRenderer.ToText(run.Plan).Should().NotContain("Licences:");
    }

    [Fact]
    public async Task The_plan_shows_licence_usage_before_and_after_in_text_and_json()
    {
        var harness = await AppliedBaselineAsync(seats: 10);

        var run = await harness.PlanAsync(Activate("gus").Yaml());

        PlanRenderer.ToText(run.Plan).Should().Contain("Licences: 6 -> 7 of 10 seats used");
        var json = System.Text.Json.Nodes.JsonNode.Parse(PlanRenderer.ToJson(run.Plan))!;
        json["impact"]!["licences"]!.ToJsonString().Should().Be("""{"seats_bought":10,"seats_used_before":6,"seats_used_after":7}""");
        var unchanged = await harness.PlanAsync(Baseline.Yaml());
        PlanRenderer.ToText(unchanged.Plan).Should().Contain("Licences: 6 of 10 seats used");
    }
}
