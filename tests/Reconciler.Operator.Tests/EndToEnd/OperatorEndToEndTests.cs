using System.Diagnostics;
using System.Text.Json.Nodes;
using Reconciler.Core.Resources;
using Xunit.Abstractions;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>The operator in-process, against the fake API server and the real reference platform over HTTP.</summary>
public sealed class OperatorEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ExampleOrganisation_IsSynced_ThenSteadyStateMakesNoPlatformRequests_AndEditsWriteOnlyTheField()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var host = fixture.StartOperator();
        var resources = await fixture.CreateExampleOrganisationAsync(resyncInterval: "1s");
        await fixture.WaitForAllSyncedAsync(resources);

        var agents = await fixture.Human.ListAsync("agents", CancellationToken.None);
        agents.Value!.Should().HaveCount(resources.OfType<Agent>().Count());

        // Steady state: several resync intervals pass; only the periodic list pass talks to the platform.
        var connection = host.Runtime!.Connections.All.Single();
        var writes = connection.Counter.Writes;
        var reads = connection.Counter.Reads;
        var loadedAt = connection.Cache.LoadedAt;
        var audit = (await fixture.AuditAsync()).Count;
        await Task.Delay(TimeSpan.FromSeconds(4));
        var passes = connection.Cache.LoadedAt > loadedAt ? (int)Math.Round((connection.Cache.LoadedAt!.Value - loadedAt!.Value).TotalSeconds) : 0;
        connection.Counter.Writes.Should().Be(writes, "an unchanged organisation needs no writes");
        (await fixture.AuditAsync()).Should().HaveCount(audit);
        // A pass: every collection's list, the organisation, the permission and placeholder catalogs and the audit trail's head; the audit feed polls every 2 s.
        var listPerPass = Reconciler.Platform.Contract.AdminApi.Collections.Mutable.Count + 4;
        var feedPolls = 3;
        output.WriteLine($"steady state: {passes} resync passes, {connection.Counter.Reads - reads} platform reads (list pass = {listPerPass} requests)");
        passes.Should().BeGreaterThan(1);
        (connection.Counter.Reads - reads).Should().BeLessThanOrEqualTo((passes + 1) * listPerPass + feedPolls, "beyond the list pass and the feed's polls, a reconcile asks the platform nothing");

        // Edit one field: exactly that is written.
        var agent = resources.OfType<Agent>().First();
        var before = (await fixture.AuditAsync()).Count;
        await fixture.PatchSpecAsync("Agent", agent.Metadata.Name, new JsonObject { ["maxConcurrentChats"] = 7 });
        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("Agent", agent.Metadata.Name)), "the edit to sync");
        var after = await fixture.AuditAsync();
        var written = after.Skip(before).ToList();
        written.Should().ContainSingle();
        written[0].ChangedFields.Should().BeEquivalentTo(["maxConcurrentChats"]);
        written[0].Reason.Should().Contain($"k8s {OperatorFixture.Namespace}/Agent/{agent.Metadata.Name}").And.Contain("gen=2");

        (await host.ScrapeMetricsAsync()).Should().Contain("controller_runtime_reconcile_total{").And.Contain("reconciler_platform_requests_total{")
            .And.Contain("controller_runtime_reconcile_time_seconds_bucket{").And.Contain("workqueue_depth{").And.Contain("reconciler_resource_info{");
    }

    [Fact]
    public async Task SpecChangeToPlatformWrite_Latency_IsMeasured()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        fixture.StartOperator();
        var resources = await fixture.CreateExampleOrganisationAsync(resyncInterval: "10m");
        await fixture.WaitForAllSyncedAsync(resources);
        var agent = resources.OfType<Agent>().First().Metadata.Name;
        var agentId = (await fixture.GetAsync("Agent", agent)).Status!["id"]!.GetValue<string>();

        var samples = new List<double>();
        for (var i = 0; i < 60; i++)
        {
            var chats = 10 + (i % 20) + 1;
            var watch = Stopwatch.StartNew();
            await fixture.PatchSpecAsync("Agent", agent, new JsonObject { ["maxConcurrentChats"] = chats });
            await OperatorFixture.EventuallyAsync(async () =>
            {
                var current = await fixture.Human.GetAsync("agents", agentId, CancellationToken.None);
                return current.Value!.Fields["maxConcurrentChats"]?.GetValue<int>() == chats;
            }, "the platform write", TimeSpan.FromSeconds(10));
            samples.Add(watch.Elapsed.TotalMilliseconds);
            await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("Agent", agent)), "status");
        }

        samples.Sort();
        var median = samples[samples.Count / 2];
        var p99 = samples[(int)Math.Ceiling(samples.Count * 0.99) - 1];
        output.WriteLine($"spec change -> platform write over {samples.Count} changes: median {median:0.0} ms, p99 {p99:0.0} ms (includes 50 ms polling)");
        median.Should().BeLessThan(2000);
    }
}
