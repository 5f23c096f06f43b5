using Reconciler.Core.Engine;
using Reconciler.Core.Guards;
using Reconciler.Core.Tests.Engine;
using Reconciler.Core.Tests.Guards;

namespace Reconciler.Core.Tests.Impact;

public sealed class PlanImpactTests
{
    private static readonly GuardOrganization Baseline = new();

    private static readonly PlanOptions AllowAll = new() { Guards = new GuardPolicy { Allowed = PlanGuards.Names } };

    private static async Task<PlannedRun> PlanAgainstBaselineAsync(GuardOrganization edited)
    {
        var harness = new EngineHarness();
        (await harness.ApplyAsync(Baseline.Yaml())).Succeeded.Should().BeTrue();
        return await harness.PlanAsync(edited.Yaml(), AllowAll);
    }

    [Fact]
    public async Task A_role_edit_groups_the_people_who_lose_a_permission_and_names_the_role()
    {
        var run = await PlanAgainstBaselineAsync(Baseline with { HelperPermissions = "inbox.view" });

        var text = PlanRenderer.ToText(run.Plan);

        text.Should().Contain("6 agents lose `inbox.assign` because role `helper` changed: Cai Souza, Dan Ferreira, Eve Martin, Fay Chen, Gus Brand, Hal Berg");
        run.Plan.Impact!.Coverage.IsEmpty.Should().BeTrue("a permission change moves no one's coverage");
    }

    [Fact]
    public async Task Removing_an_admin_names_them_and_says_why()
    {
        var run = await PlanAgainstBaselineAsync(Baseline.WithAgent("ben", a => a with { Role = "helper" }));

        var access = run.Plan.Impact!.Access;

        access.RemovedAdmins.Should().Equal("Ben Okafor");
        access.NewAdmins.Should().BeEmpty();
        PlanRenderer.ToText(run.Plan).Should().Contain("Ben Okafor gains `inbox.assign` because role changed from `owner` to `helper`")
            .And.Contain("No longer admins: Ben Okafor");
    }

    [Fact]
    public async Task Deactivating_the_only_L1_speaker_of_a_language_opens_a_gap_naming_who_served_it()
    {
        var run = await PlanAgainstBaselineAsync(Baseline.Deactivate("cai"));

        var coverage = run.Plan.Impact!.Coverage;

        coverage.Opened.Should().ContainSingle().Which.Should().BeEquivalentTo(new Reconciler.Core.Impact.CoverageGap("billing", "Billing", "pt-BR", "Mon–Fri 09:00–17:00", "America/Sao_Paulo", ["Cai Souza"]));
        coverage.Capacity.Should().ContainSingle().Which.Should().Be(new Reconciler.Core.Impact.CapacityChange("billing", "Billing", 6, 3));
        PlanRenderer.ToText(run.Plan).Should().Contain("Gap opened: Billing: no L1 agent speaking pt-BR on Mon–Fri 09:00–17:00 America/Sao_Paulo (was: Cai Souza)")
            .And.Contain("Cai Souza loses all their access (deactivated)")
            .And.Contain("Capacity: Billing: 6 -> 3 concurrent chats");
    }

    [Fact]
    public async Task Someone_activated_with_a_plain_role_gains_that_role_s_access_not_all_access()
    {
        var harness = new EngineHarness();
        (await harness.ApplyAsync(Baseline.Deactivate("fay").Yaml())).Succeeded.Should().BeTrue();

        var text = PlanRenderer.ToText((await harness.PlanAsync(Baseline.Yaml(), AllowAll)).Plan);

        // A reviewer reads "all access" as an administrator's; the helper role holds two permissions.
        text.Should().Contain("Fay Chen gains their role's access (activated)").And.NotContain("all access");
    }

    [Fact]
    public async Task New_opening_hours_that_nobody_serves_open_a_gap_of_their_own()
    {
        var weekly = "[{days: [Monday, Tuesday, Wednesday, Thursday, Friday], opens: \"09:00\", closes: \"17:00\"}, {days: [Saturday], opens: \"10:00\", closes: \"14:00\"}]";
        var run = await PlanAgainstBaselineAsync((Baseline with { Weekly = weekly }).Deactivate("cai"));

        PlanRenderer.ToText(run.Plan).Should().Contain("Gap opened: Billing: no L1 agent speaking pt-BR on Mon–Fri 09:00–17:00 America/Sao_Paulo (was: Cai Souza)")
            .And.Contain("Gap opened: Billing: no L1 agent speaking pt-BR on Saturdays 10:00–14:00 America/Sao_Paulo (new opening hours)");
        run.Plan.Impact!.Coverage.Opened.Should().NotContain(g => g.Language == "en", "English is still served on Saturdays");
    }

    [Fact]
    public async Task Reactivating_closes_the_gap_and_the_markdown_and_json_say_so()
    {
        var harness = new EngineHarness();
        (await harness.ApplyAsync(Baseline.Deactivate("cai").Yaml())).Succeeded.Should().BeTrue();

        var run = await harness.PlanAsync(Baseline.Yaml());

        var markdown = string.Join("\n", PlanRenderer.ToMarkdown(run.Plan));
        markdown.Should().Contain("#### Coverage").And.Contain("- Gap closed: Billing: pt-BR on Mon–Fri 09:00–17:00 America/Sao_Paulo now served by Cai Souza");
        var json = Reconciler.Core.Engine.Output.PlanJson.Build(run.Plan);
        json["impact"]!["coverage"]!["gaps_closed"]![0]!["agents"]![0]!.GetValue<string>().Should().Be("Cai Souza");
        json["impact"]!["access"]!["groups"]![0]!["all"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task A_plan_without_changes_has_no_impact_section()
    {
        var harness = new EngineHarness();
        (await harness.ApplyAsync(Baseline.Yaml())).Succeeded.Should().BeTrue();

        var run = await harness.PlanAsync(Baseline.Yaml());

        run.Plan.Impact!.IsEmpty.Should().BeTrue();
        PlanRenderer.ToText(run.Plan).Should().NotContain("Impact:");
    }
}
