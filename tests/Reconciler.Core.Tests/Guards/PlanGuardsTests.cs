using Reconciler.Core.Engine;
using Reconciler.Core.Guards;
using Reconciler.Core.Tests.Engine;

namespace Reconciler.Core.Tests.Guards;

public sealed class PlanGuardsTests
{
    private static readonly GuardOrganization Baseline = new();

    /// <summary>Per guard: a change that trips it, and the resources the finding must name.</summary>
    public static TheoryData<string, string, string[]> TrippingChanges => new()
    {
        { "admins", "deactivate an admin", ["Agent/ana"] },
        { "admins", "take an admin permission from the admins' custom role", ["Role/owner"] },
        { "admins", "move an admin to a role without admin permissions", ["Agent/ben"] },
        { "sign-in", "keep enforcing SSO with a secret that cannot be resolved", ["SsoProvider/okta"] },
        // "Disable the only provider while it stays enforced" cannot be written: the wire rules refuse enforced without enabled.
        { "mass-change", "deactivate three of eight active agents", ["Agent/eve", "Agent/fay", "Agent/gus"] },
        { "orphans", "move every agent out of a business unit", ["Agent/cai", "Agent/dan"] },
        { "orphans", "deactivate a supervisor who still has an active report", ["Agent/hal"] },
    };

    private static GuardOrganization Edit(string change) => change switch
    {
        "deactivate an admin" => Baseline.Deactivate("ana"),
        "take an admin permission from the admins' custom role" => Baseline with { OwnerPermissions = "agents.manage, roles.manage, inbox.view" },
        "move an admin to a role without admin permissions" => Baseline.WithAgent("ben", a => a with { Role = "helper" }),
        "keep enforcing SSO with a secret that cannot be resolved" => Baseline with { SsoSecret = "missing-secret" },
        "deactivate three of eight active agents" => Baseline.Deactivate("eve", "fay", "gus"),
        "move every agent out of a business unit" => Baseline.WithAgent("cai", a => a with { Unit = "support" }).WithAgent("dan", a => a with { Unit = "support" }),
        "deactivate a supervisor who still has an active report" => Baseline.Deactivate("hal"),
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
    };

    private static async Task<EngineHarness> AppliedBaselineAsync()
    {
        var harness = new EngineHarness();
        var result = await harness.ApplyAsync(Baseline.Yaml());
        result.Succeeded.Should().BeTrue(string.Join("; ", result.Results.Select(r => r.Message)));
        harness.Platform.Calls.Clear();
        return harness;
    }

    private static PlanOptions Allowing(params string[] guards) => new() { Guards = new GuardPolicy { Allowed = guards.ToHashSet() } };

    [Theory]
    [MemberData(nameof(TrippingChanges))]
    public async Task A_plan_that_trips_a_guard_is_refused_names_the_resources_and_the_override_and_writes_nothing(string guard, string change, string[] resources)
    {
        var harness = await AppliedBaselineAsync();

        var run = await harness.PlanAsync(Edit(change).Yaml());
        var result = await harness.ApplyAsync(run);

        run.Plan.IsBlocked.Should().BeTrue(change);
        var finding = run.Plan.GuardRefusals.Should().ContainSingle(g => g.Guard == guard, change).Subject;
        finding.Resources.Select(r => r.ToString()).Should().Contain(resources, change);
        finding.Override.Should().Be($"--allow {guard}");
        PlanRenderer.ToText(run.Plan).Should().Contain($"Refused by guard {guard}:").And.Contain($"to allow it: --allow {guard}");
        harness.Platform.Writes.Should().Be(0, "a refused plan writes nothing");
        result.Results.Should().OnlyContain(r => r.Outcome == ResourceOutcome.Skipped || r.Outcome == ResourceOutcome.Failed);
    }

    [Theory]
    [MemberData(nameof(TrippingChanges))]
    public async Task The_same_plan_is_allowed_when_its_guard_is_overridden(string guard, string change, string[] resources)
    {
        var harness = await AppliedBaselineAsync();

        var run = await harness.PlanAsync(Edit(change).Yaml(), Allowing(guard));

        run.Plan.GuardRefusals.Should().NotContain(g => g.Guard == guard, change);
        run.Plan.Guards.Where(g => g.Guard == guard).Should().OnlyContain(g => g.Verdict == GuardVerdict.Allowed)
            .And.Contain(g => resources.All(r => g.Resources.Any(x => x.ToString() == r)));
        PlanRenderer.ToText(run.Plan).Should().Contain($"Allowed (guard {guard} overridden)");
    }

    [Theory]
    [InlineData("admins")]
    [InlineData("sign-in")]
    [InlineData("mass-change")]
    [InlineData("orphans")]
    public async Task An_unrelated_change_trips_no_guard(string guard)
    {
        var harness = await AppliedBaselineAsync();

        var run = await harness.PlanAsync(Baseline.WithAgent("eve", a => a with { Name = "Eve Martin-Lopez", Languages = "en, es" }).Yaml());

        run.Plan.HasChanges.Should().BeTrue();
        run.Plan.Guards.Should().NotContain(g => g.Guard == guard);
        run.Plan.IsBlocked.Should().BeFalse();
        (await harness.ApplyAsync(run)).Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task Deactivating_two_of_eight_agents_is_within_the_mass_change_limit()
    {
        var harness = await AppliedBaselineAsync();

        var run = await harness.PlanAsync(Baseline.Deactivate("eve", "fay").Yaml());

        run.Plan.Guards.Should().NotContain(g => g.Guard == "mass-change");
    }

    [Fact]
    public async Task The_mass_change_limit_follows_the_policy_fraction()
    {
        var harness = await AppliedBaselineAsync();

        var run = await harness.PlanAsync(Baseline.Deactivate("eve", "fay").Yaml(), new PlanOptions { Guards = new GuardPolicy { MaxRemovalFraction = 0.2 } });

        run.Plan.GuardRefusals.Should().ContainSingle(g => g.Guard == "mass-change").Which.Message.Should().Contain("2 of 8 active agents");
    }

    [Fact]
    public async Task An_organisation_already_below_min_admins_is_warned_but_unrelated_changes_proceed()
    {
        var harness = new EngineHarness();
        var oneAdmin = Baseline.WithAgent("ben", a => a with { Role = "helper" });
        (await harness.ApplyAsync(oneAdmin.Yaml(), Allowing("admins"))).Succeeded.Should().BeTrue();

        var run = await harness.PlanAsync(oneAdmin.WithAgent("eve", a => a with { Languages = "en, es" }).Yaml());

        run.Plan.IsBlocked.Should().BeFalse();
        run.Plan.Guards.Should().ContainSingle().Which.Should().Match<GuardFinding>(g => g.Guard == "admins" && g.Verdict == GuardVerdict.Warning && g.Message.Contains("1 active admin, fewer than minAdmins 2"));
    }

    [Fact]
    public async Task Zero_admins_is_refused_even_when_min_admins_is_zero()
    {
        var harness = await AppliedBaselineAsync();

        var run = await harness.PlanAsync(Baseline.Deactivate("ana", "ben").Yaml(), new PlanOptions { Guards = new GuardPolicy { MinAdmins = 0 } });

        run.Plan.GuardRefusals.Should().Contain(g => g.Guard == "admins" && g.Message.Contains("leaves 0 active admins"));
    }

    [Fact]
    public async Task A_guard_refusal_in_json_names_guard_verdict_resources_and_override()
    {
        var harness = await AppliedBaselineAsync();

        var run = await harness.PlanAsync(Baseline.Deactivate("ana").Yaml());
        var json = Reconciler.Core.Engine.Output.PlanJson.Build(run.Plan);

        json["applyable"]!.GetValue<bool>().Should().BeFalse();
        var guard = json["guards"]!.AsArray().Single()!;
        guard["guard"]!.GetValue<string>().Should().Be("admins");
        guard["verdict"]!.GetValue<string>().Should().Be("refused");
        guard["resources"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("Agent/ana");
        guard["override"]!.GetValue<string>().Should().Be("--allow admins");
    }

    [Fact]
    public void Guard_names_parse_from_comma_separated_lists_and_unknown_names_are_reported()
    {
        PlanGuards.Parse(["admins,orphans", " sign-in "]).Should().Match<(IReadOnlySet<string> Names, string? Unknown)>(p => p.Unknown == null && p.Names.SetEquals(new[] { "admins", "orphans", "sign-in" }));
        PlanGuards.Parse(["admins,owners"]).Unknown.Should().Be("owners");
    }
}
