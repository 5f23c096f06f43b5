using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Core.Platform;
using k8s;
using Reconciler.Operator.Kinds;
using Reconciler.Operator.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Reconciler.Operator.Tests.Controllers;

/// <summary>The operator reconciles a dated agent at its boundaries, not at the next resync, and says so in status and events.</summary>
public sealed class DatedReconcileTests(ITestOutputHelper output)
{
    private static async Task<OperatorFixture> StartAsync()
    {
        var fixture = await OperatorFixture.StartAsync();
        await fixture.ConnectAsync(new JsonObject
        {
            // Far beyond the test: only a requeue at the boundary can make the change in time.
            ["resyncInterval"] = "1h",
        });

        // Maria is the only agent: her deactivation or demotion is a mass change that orphans her unit. The guards have
        // their own tests (OperatorGuardTests); here they would only stand between the boundary and the write.
        await fixture.AnnotateAsync("PlatformConnection", "platform", OperatorKinds.AllowGuardsAnnotation, "mass-change,orphans");
        return fixture;
    }

    private static JsonObject Maria(string? dated) =>
        JsonNode.Parse($$"""{"email": "maria@acme.example", "displayName": "Maria Santos", "roleRef": {"name": "agent"}, "level": "L1"{{(dated is null ? "" : ", " + dated)}}}""")!.AsObject();

    private static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static async Task<PlatformObject?> AgentOnPlatformAsync(OperatorFixture fixture)
    {
        var agents = await fixture.Human.ListAsync("agents", CancellationToken.None);
        return agents.Value!.SingleOrDefault(a => a.Key == "maria@acme.example");
    }

    [Fact]
    public async Task AWindowThatCloses_IsWrittenWithinSecondsOfItsBoundary_WithStatusAndEvent()
    {
        await using var fixture = await StartAsync();
        fixture.StartOperator();
        // Synced once without a window first: the cold start (informers, the connection, the platform cache) can take
        // longer than the lead on a loaded machine, and a window that closed before the first reconcile has no boundary left
        // to requeue at (no nextTransitionAt in status: reading it was this test's NullReferenceException under load).
        await fixture.CreateAsync("Agent", "maria", Maria(dated: null));
        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("Agent", "maria")), "maria synced");

        var (boundary, nextTransitionAt) = await CloseWindowSoonAsync(fixture);
        nextTransitionAt.Should().Be(boundary, "Kubernetes times have whole seconds; a boundary on one reads back exactly from status");

        await OperatorFixture.EventuallyAsync(async () => (await AgentOnPlatformAsync(fixture))!.Fields["active"]!.GetValue<bool>() == false, "maria deactivated", TimeSpan.FromSeconds(30));

        var write = (await fixture.AuditAsync()).Last(e => e.Collection == "agents" && e.Action == "update");
        var latency = write.At - boundary;
        output.WriteLine($"boundary {boundary:O}, platform write {write.At:O}: {latency.TotalMilliseconds:0} ms after the boundary");
        latency.Should().BeGreaterThan(TimeSpan.Zero, "nothing is written before the window closes");
        latency.Should().BeLessThan(TimeSpan.FromSeconds(10), "the operator requeues the agent at its boundary, not at the 1h resync (seconds, with headroom for a loaded 2-core CI machine)");
        write.Actor.Should().Be("reconciler-operator");
        write.ChangedFields.Should().Contain("active").And.NotContain("roleId");

        await OperatorFixture.EventuallyAsync(async () => (await fixture.GetAsync("Agent", "maria")).Status?["nextTransitionAt"] is null, "no further transition");
        await OperatorFixture.EventuallyAsync(async () => (await fixture.Client.Api.EventsV1.ListNamespacedEventAsync(OperatorFixture.Namespace)).Items.Any(e => e.Reason == "DatedChange"), "a DatedChange event");
        var events = await fixture.Client.Api.EventsV1.ListNamespacedEventAsync(OperatorFixture.Namespace);
        events.Items.Where(e => e.Reason == "DatedChange").Select(e => e.Note).Should().Contain(n => n.StartsWith("Maria Santos deactivated (due ", StringComparison.Ordinal));
    }

    /// <summary>
    /// Sets maria's <c>activeUntil</c> seconds ahead (on a whole second) and waits for that generation's sync; the boundary and
    /// the nextTransitionAt recorded with the sync. Only when that sync came after the boundary (a loaded machine) is
    /// nextTransitionAt rightly absent: then again with a longer lead. Absent while the window is still open is a failure.
    /// </summary>
    private static async Task<(DateTimeOffset Boundary, DateTimeOffset NextTransitionAt)> CloseWindowSoonAsync(OperatorFixture fixture)
    {
        for (var lead = TimeSpan.FromSeconds(7); ; lead *= 2)
        {
            var now = DateTimeOffset.UtcNow;
            var boundary = now.Add(lead).AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
            var generation = (await fixture.PatchSpecAsync("Agent", "maria", new JsonObject { ["activeUntil"] = Rfc3339(boundary) })).Metadata.Generation;
            CustomResource? synced = null;
            await OperatorFixture.EventuallyAsync(async () =>
            {
                var current = await fixture.GetAsync("Agent", "maria");
                synced = OperatorFixture.IsSynced(current) && current.Metadata.Generation == generation ? current : null;
                return synced is not null;
            }, $"maria synced at generation {generation}");

            if (synced!.Status!["nextTransitionAt"]?.GetValue<string>() is { } next)
                return (boundary, DateTimeOffset.Parse(next, CultureInfo.InvariantCulture));
            DateTimeOffset.UtcNow.Should().BeAfter(boundary, "status.nextTransitionAt is recorded while the window is still open");
            lead.Should().BeLessThan(TimeSpan.FromSeconds(20), $"the sync overran a {lead.TotalSeconds:0} s lead to the boundary: the machine is too loaded to tell");
        }
    }

    [Fact]
    public async Task WithAFakeClock_TheOperatorWritesNothingBeforeTheBoundary_AndTheOverrideWhenTimeReachesIt()
    {
        var now = DateTimeOffset.UtcNow;
        var start = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var time = new FakeTimeProvider(start);
        await using var fixture = await StartAsync();
        fixture.StartOperator(time: time);

        // Everything in the operator (backoffs, the client's rate limiter) runs on this clock: it ticks as real time does, and jumps.
        using var ticking = new CancellationTokenSource();
        var ticker = Task.Run(async () =>
        {
            while (!ticking.IsCancellationRequested)
            {
                time.Advance(TimeSpan.FromMilliseconds(20));
                await Task.Delay(20);
            }
        });
        var from = start.AddDays(2);
        await fixture.CreateAsync("Agent", "maria", Maria($"\"temporary\": [{{\"roleRef\": {{\"name\": \"supervisor\"}}, \"from\": \"{Rfc3339(from)}\", \"until\": \"{Rfc3339(from.AddDays(3))}\", \"reason\": \"covering\"}}]"));
        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("Agent", "maria")), "maria synced");
        var roles = (await fixture.Human.ListAsync("roles", CancellationToken.None)).Value!;
        string RoleOf(PlatformObject agent) => roles.Single(r => r.Id == agent.Fields["roleId"]!.ToString()).Key;
        RoleOf((await AgentOnPlatformAsync(fixture))!).Should().Be("agent");

        time.Advance(from - time.GetUtcNow() - TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        RoleOf((await AgentOnPlatformAsync(fixture))!).Should().Be("agent", "seconds before the window opens nothing changes");

        time.Advance(from - time.GetUtcNow());
        await OperatorFixture.EventuallyAsync(async () => RoleOf((await AgentOnPlatformAsync(fixture))!) == "supervisor", "the temporary role written at the boundary", TimeSpan.FromSeconds(15));
        await OperatorFixture.EventuallyAsync(async () => (await fixture.GetAsync("Agent", "maria")).Status?["nextTransitionAt"]?.GetValue<string>() is { } next
            && DateTimeOffset.Parse(next, CultureInfo.InvariantCulture) == from.AddDays(3), "nextTransitionAt moves to the window's end");

        time.Advance(TimeSpan.FromDays(3));
        await OperatorFixture.EventuallyAsync(async () => RoleOf((await AgentOnPlatformAsync(fixture))!) == "agent", "back to role agent when the window closes", TimeSpan.FromSeconds(15));
        await ticking.CancelAsync();
        await ticker;
    }
}
