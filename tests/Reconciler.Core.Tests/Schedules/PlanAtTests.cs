using Reconciler.Core.Engine;
using Reconciler.Core.Engine.Output;
using Reconciler.Core.Tests.Engine;
using EngineManifests = Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.Schedules;

public sealed class PlanAtTests
{
    private const string Dated = "  temporary:\n    - {roleRef: {name: supervisor}, from: 2026-12-07T00:00:00Z, until: 2026-12-09T00:00:00Z, reason: leave}\n  activeUntil: 2026-12-31T00:00:00Z\n";

    private static string Maria => EngineManifests.Agent("maria").Replace("---\n", Dated + "---\n", StringComparison.Ordinal);

    private static PlanOptions At(string time) => new() { At = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public async Task Plan_InsideATemporaryWindow_WritesTheOverrideAndListsTheWayBack()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(EngineManifests.Agent("maria"));

        var run = await harness.PlanAsync(Maria, At("2026-12-07T00:00:00Z"));

        var field = run.Plan.Changes.Should().ContainSingle().Subject.Fields.Should().ContainSingle().Subject;
        (field.ManifestPath, field.Before, field.After).Should().Be(("spec.roleRef", "\"agent\"", "\"supervisor\""));
        run.Plan.Transitions.Select(t => t.Description).Should().Equal("maria back to role agent", "maria deactivated");
        PlanRenderer.ToText(run.Plan).Should().Contain(TransitionText.Heading).And.Contain("in 2 days: maria back to role agent");
        PlanRenderer.ToMarkdown(run.Plan)[0].Should().Contain("- in 2 days: maria back to role agent");
        PlanJson.Build(run.Plan)["transitions"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task Apply_AfterTheWindow_DeactivatesTheAgentWithoutDeletingIt()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Maria, At("2026-12-01T00:00:00Z"));

        var result = await harness.ApplyAsync(Maria, At("2026-12-31T00:00:00Z"));

        result.Succeeded.Should().BeTrue();
        var agent = harness.Platform.All("agents").Should().ContainSingle().Subject;
        agent.Fields["active"]!.GetValue<bool>().Should().BeFalse();
        agent.Fields["roleId"]!.ToString().Should().Be(harness.Platform.All("roles").Single(r => r.Key == "agent").Id);
        (await harness.PlanAsync(Maria, At("2027-06-01T00:00:00Z"))).Plan.HasChanges.Should().BeFalse("nothing is due after the last transition");
    }

    [Fact]
    public async Task Plan_WithoutATime_PlansTheBaseSpec()
    {
        var harness = new EngineHarness();

        var run = await harness.PlanAsync(Maria);

        run.Plan.Transitions.Should().BeEmpty();
        run.Plan.Changes.Single().Fields.Should().Contain(f => f.Path == "roleId" && f.After == "\"agent\"");
    }
}
