using System.Text.Json.Nodes;
using k8s;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>Events as controller-runtime writes them: one per distinct occurrence, not one per reconcile.</summary>
public sealed class EventAggregationTests
{
    [Fact]
    public async Task MissingReference_RaisesOneWarning_NotAnotherAfterTheFinalizerWrite_NorOnEveryRetry()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.ConnectAsync(new JsonObject
        {
            ["resyncInterval"] = "1s",
        });
        fixture.StartOperator();
        await fixture.CreateAsync("BusinessUnit", "support", new JsonObject { ["displayName"] = "Support", ["officeHoursRef"] = new JsonObject { ["name"] = "emea" } });
        await OperatorFixture.EventuallyAsync(async () =>
            OperatorFixture.Condition(await fixture.GetAsync("BusinessUnit", "support"), "Synced", out var reason) == "False" && reason == "ReferenceNotFound", "ReferenceNotFound");

        // Several resyncs pass, each offering the resource for a look again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var events = (await fixture.Client.Api.EventsV1.ListNamespacedEventAsync(OperatorFixture.Namespace)).Items.Where(e => e.Regarding?.Name == "support").ToList();
        events.Should().ContainSingle(e => e.Reason == "ReferenceNotFound").Which.Series.Should().BeNull("the same failure again is no new occurrence");
        events.Should().HaveCount(1);
        fixture.Kube.CountRequests("patch", resource: "events").Should().Be(0);
    }
}
