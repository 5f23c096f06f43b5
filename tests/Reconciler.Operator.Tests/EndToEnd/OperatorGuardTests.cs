using System.Text.Json.Nodes;
using Reconciler.Operator.Kinds;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>Plan guards in the operator: the resource that trips one is refused with GuardRefused, the others proceed.</summary>
public sealed class OperatorGuardTests
{
    private static async Task<JsonObject> AgentOnPlatformAsync(OperatorFixture fixture, string email)
    {
        var agents = await fixture.Human.ListAsync("agents", CancellationToken.None);
        agents.IsOk.Should().BeTrue(agents.Message);
        return agents.Value!.Single(a => a.Key == email).Fields;
    }

    [Fact]
    public async Task A_change_that_would_leave_one_admin_is_refused_while_the_rest_is_applied_until_the_connection_allows_it()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var resources = await fixture.CreateExampleOrganisationAsync();
        fixture.StartOperator();
        await fixture.WaitForAllSyncedAsync(resources, TimeSpan.FromSeconds(90));

        // Kai Richter is one of the example's two admins (custom role workforce-admin); Maria Santos' change is unrelated.
        await fixture.PatchSpecAsync("Agent", "kai-richter", new JsonObject { ["active"] = false });
        await fixture.PatchSpecAsync("Agent", "maria-santos", new JsonObject { ["maxConcurrentChats"] = 9 });

        string? message = null;
        await OperatorFixture.EventuallyAsync(async () =>
        {
            var kai = await fixture.GetAsync("Agent", "kai-richter");
            var synced = kai.Status?["conditions"]?.AsArray().FirstOrDefault(c => c!["type"]!.GetValue<string>() == "Synced");
            message = synced?["message"]?.GetValue<string>();
            return synced?["status"]?.GetValue<string>() == "False" && synced["reason"]?.GetValue<string>() == "GuardRefused";
        }, "kai-richter Synced=False GuardRefused");
        OperatorFixture.Condition(await fixture.GetAsync("Agent", "kai-richter"), "Stalled", out var stalledBy).Should().Be("True", "a refused change waits on an override, so a GitOps tool's wait fails at once");
        stalledBy.Should().Be("GuardRefused");
        message.Should().Contain("guard admins").And.Contain("Kai Richter (deactivated)")
            .And.Contain($"annotate the PlatformConnection platform with {OperatorKinds.AllowGuardsAnnotation}: admins");
        await OperatorFixture.EventuallyAsync(async () => (await AgentOnPlatformAsync(fixture, "maria.santos@acme.example"))["maxConcurrentChats"]!.GetValue<int>() == 9, "the unrelated change applied");
        (await AgentOnPlatformAsync(fixture, "kai.richter@acme.example"))["active"]!.GetValue<bool>().Should().BeTrue("the refused change was not written");

        await fixture.AnnotateAsync("PlatformConnection", "platform", OperatorKinds.AllowGuardsAnnotation, "admins");

        await OperatorFixture.EventuallyAsync(async () => !(await AgentOnPlatformAsync(fixture, "kai.richter@acme.example"))["active"]!.GetValue<bool>(), "the allowed change applied", TimeSpan.FromSeconds(60));
        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("Agent", "kai-richter")), "kai-richter synced", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task An_unknown_guard_in_the_annotation_fails_the_connection_with_a_clear_message()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.CreateExampleOrganisationAsync();
        await fixture.AnnotateAsync("PlatformConnection", "platform", OperatorKinds.AllowGuardsAnnotation, "admins,owners");
        fixture.StartOperator();

        await OperatorFixture.EventuallyAsync(async () =>
            OperatorFixture.Condition(await fixture.GetAsync("PlatformConnection", "platform"), "Ready", out var reason) == "False" && reason == "ValidationFailed", "connection ValidationFailed");
        var ready = (await fixture.GetAsync("PlatformConnection", "platform")).Status!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!;
        ready["message"]!.GetValue<string>().Should().Contain("'owners' is not a guard");
    }
}
