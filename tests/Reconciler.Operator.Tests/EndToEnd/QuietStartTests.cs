using Reconciler.Operator.Hosting;
using Xunit.Abstractions;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>A restart or leader change of an operator whose resources are in sync is invisible: no status write, no error.</summary>
[Collection(ScrapingCollection.Name)]
public sealed class QuietStartTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RestartOrFailover_OfAnInSyncOperator_WritesNoStatus_AndCountsNoError(bool failover)
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var first = fixture.StartOperator("op-1", leaderElection: failover);
        var resources = await fixture.CreateExampleOrganisationAsync(resyncInterval: "10m");
        await fixture.WaitForAllSyncedAsync(resources);
        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.Condition(await fixture.GetAsync("PlatformConnection", "platform"), "Ready", out _) == "True", "connection Ready");
        await Task.Delay(500);

        OperatorHost second;
        if (failover)
        {
            second = fixture.StartOperator("op-2", leaderElection: true);
            await Task.Delay(500);
            fixture.Kube.ResetRequests();
            await fixture.StopOperatorAsync(first);
        }
        else
        {
            await fixture.StopOperatorAsync(first);
            fixture.Kube.ResetRequests();
            second = fixture.StartOperator("op-2");
        }

        await OperatorFixture.EventuallyAsync(() => Task.FromResult(second.IsLeading && second.Runtime!.HasSynced), "op-2 leading with synced caches", TimeSpan.FromSeconds(20));
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(second.Runtime!.Connections.All.Any(c => c.IsReady)), "op-2 connected");
        await Task.Delay(TimeSpan.FromSeconds(3));

        var statusWrites = fixture.Kube.CountRequests("patch", subresource: "status") + fixture.Kube.CountRequests("update", subresource: "status");
        output.WriteLine($"{(failover ? "failover" : "restart")} of an in-sync operator ({resources.Count} resources): {statusWrites} status writes");
        statusWrites.Should().Be(0, "every resource was already in sync");
        var metrics = await second.ScrapeMetricsAsync();
        var errors = metrics.Split('\n').Where(l => l.StartsWith("controller_runtime_reconcile_errors_total{", StringComparison.Ordinal)).ToList();
        errors.Should().NotBeEmpty("the error counters exist from the start");
        errors.Where(l => l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0] != "0").Should().BeEmpty("no reconcile failed");
        metrics.Should().NotContain("reconciler_reconcile_failures_total{", "no reconcile ended with a failure condition");
    }
}
