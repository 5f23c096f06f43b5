using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using Reconciler.Kubernetes.LeaderElection;
using k8s;
using k8s.Models;

namespace Reconciler.Kubernetes.Tests.LeaderElection;

public sealed class LeaderElectorTests : FakeApiServerTest
{
    private readonly ConcurrentQueue<string> _log = new();

    [Fact]
    public async Task TheOnlyCandidate_CreatesTheLease_LeadsAndKeepsRenewing()
    {
        using var stop = new CancellationTokenSource();
        var elector = new LeaderElector(Client.Api, Options("a"));
        var running = elector.RunAsync(stop.Token);

        await TestResources.EventuallyAsync(() => elector.IsLeader, "a leads");
        var first = await LeaseAsync();
        await TestResources.EventuallyAsync(async () => (await LeaseAsync()).Spec!.RenewTime > first.Spec!.RenewTime, "a renews");

        var lease = await LeaseAsync();
        lease.Spec!.HolderIdentity.Should().Be("a");
        lease.Spec.LeaseDurationSeconds.Should().Be(1);
        lease.Spec.LeaseTransitions.Should().Be(0);
        lease.Spec.AcquireTime.Should().Be(first.Spec!.AcquireTime, "renewing keeps the acquire time");
        _log.Should().StartWith(["a: new leader a", "a: started"]);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task WhenTheLeaderStopsRenewing_TheOtherCandidateTakesOverOnlyAfterTheLeaseExpires()
    {
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var a = new LeaderElector(Client.Api, Options("a", releaseOnCancel: false));
        var b = new LeaderElector(Client.Api, Options("b"));
        var runningA = a.RunAsync(stopA.Token);
        await TestResources.EventuallyAsync(() => a.IsLeader, "a leads");
        var runningB = b.RunAsync(stopB.Token);
        await Task.Delay(1200);
        b.IsLeader.Should().BeFalse("a keeps renewing, so its lease never expires");

        // a crashes: no release, its renewals simply stop.
        await stopA.CancelAsync();
        await runningA;
        var lastRenewal = (await LeaseAsync()).Spec!.RenewTime!.Value;

        await TestResources.EventuallyAsync(() => b.IsLeader, "b takes over");
        var lease = await LeaseAsync();

        // Measured from a's last renewal, not from the crash: on a loaded machine that renewal can be most of a lease
        // before the crash (a's renewals are every 100 ms only when it gets the CPU), and b may then rightly take over soon after it.
        lease.Spec!.AcquireTime!.Value.Should().BeOnOrAfter(lastRenewal + TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(1), "b waits out a's 1 s lease from its last renewal");
        lease.Spec.HolderIdentity.Should().Be("b");
        lease.Spec.LeaseTransitions.Should().Be(1);
        _log.Should().Contain(["a: stopped", "b: new leader a", "b: new leader b", "b: started"]);
        await stopB.CancelAsync();
        await runningB;
    }

    [Fact]
    public async Task ALeaderThatIsCancelled_ReleasesTheLease_SoTheNextCandidateNeedNotWait()
    {
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var a = new LeaderElector(Client.Api, Options("a", leaseDuration: TimeSpan.FromSeconds(30), renewDeadline: TimeSpan.FromSeconds(2)));
        var b = new LeaderElector(Client.Api, Options("b", leaseDuration: TimeSpan.FromSeconds(30), renewDeadline: TimeSpan.FromSeconds(2)));
        var runningA = a.RunAsync(stopA.Token);
        await TestResources.EventuallyAsync(() => a.IsLeader, "a leads");
        var runningB = b.RunAsync(stopB.Token);

        await stopA.CancelAsync();
        await runningA;

        await TestResources.EventuallyAsync(() => b.IsLeader, "b takes over long before the 30s lease would expire", TimeSpan.FromSeconds(12));
        _log.Should().ContainInOrder("a: started", "a: work stopped", "a: stopped");
        await stopB.CancelAsync();
        await runningB;
        (await LeaseAsync()).Spec!.HolderIdentity.Should().BeEmpty("b released it too");
    }

    [Fact]
    public async Task ALeaderThatCannotRenew_StopsLeadingAfterTheRenewDeadline()
    {
        using var stop = new CancellationTokenSource();
        var elector = new LeaderElector(Client.Api, Options("a"));
        var running = elector.RunAsync(stop.Token);
        await TestResources.EventuallyAsync(() => elector.IsLeader, "a leads");

        Server.FailNextRequests("get", 500, count: 1000, resource: "leases");

        await running.WaitAsync(TimeSpan.FromSeconds(5));
        elector.IsLeader.Should().BeFalse();
        _log.Should().ContainInOrder("a: started", "a: work stopped", "a: stopped");
    }

    [Fact]
    public async Task ACandidateLosingTheLeaseToAnotherWriter_StopsLeading()
    {
        using var stop = new CancellationTokenSource();
        var elector = new LeaderElector(Client.Api, Options("a"));
        var running = elector.RunAsync(stop.Token);
        await TestResources.EventuallyAsync(() => elector.IsLeader, "a leads");

        // The leader renews every few milliseconds here, so a write from an older read may meet 409 Conflict: read again.
        for (var attempt = 0; ; attempt++)
        {
            var lease = await LeaseAsync();
            lease.Spec.HolderIdentity = "usurper";
            lease.Spec.LeaseDurationSeconds = 60;
            lease.Spec.RenewTime = DateTime.UtcNow;
            try
            {
                await Client.Api.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "reconciler-leader", "reconciler-system");
                break;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 10)
            {
            }
        }

        await running.WaitAsync(TimeSpan.FromSeconds(5));
        _log.Should().Contain(["a: new leader usurper", "a: stopped"]);
    }

    [Fact]
    public async Task ALeaseThatExistsWithoutHolderOrTimes_IsAcquired_NotCreatedAgain()
    {
        // Every LeaseSpec field is optional: a Lease made by a chart or by hand may name no holder and no times.
        await Client.Api.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "reconciler-leader" }, Spec = new V1LeaseSpec() }, "reconciler-system");
        using var stop = new CancellationTokenSource();
        var elector = new LeaderElector(Client.Api, Options("a"));
        var running = elector.RunAsync(stop.Token);

        await TestResources.EventuallyAsync(() => elector.IsLeader, "a takes the Lease nobody holds", TimeSpan.FromSeconds(5));
        var lease = await LeaseAsync();
        lease.Spec!.HolderIdentity.Should().Be("a");
        lease.Spec.AcquireTime.Should().NotBeNull();
        lease.Spec.RenewTime.Should().NotBeNull();
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task ALeaseHeldByAnotherWithoutAnAcquireTime_IsTakenOverOnceItExpires()
    {
        await Client.Api.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = "reconciler-leader" },
                Spec = new V1LeaseSpec { HolderIdentity = "other", LeaseDurationSeconds = 1, RenewTime = new DateTime(2026, 3, 1, 12, 0, 0, 500, DateTimeKind.Utc) },
            },
            "reconciler-system");
        using var stop = new CancellationTokenSource();
        var elector = new LeaderElector(Client.Api, Options("a"));
        var running = elector.RunAsync(stop.Token);

        await Task.Delay(500);
        elector.IsLeader.Should().BeFalse("other's lease has not expired yet");
        await TestResources.EventuallyAsync(() => elector.IsLeader, "a takes over the expired lease", TimeSpan.FromSeconds(5));
        var lease = await LeaseAsync();
        lease.Spec!.HolderIdentity.Should().Be("a");
        lease.Spec.LeaseTransitions.Should().Be(1);
        _log.Should().Contain("a: new leader other");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public void TheDefaultIdentity_IsTheHostNameAndARandomUuid_AsInClientGo()
    {
        var first = LeaderElectionOptions.NewIdentity();

        first.Should().MatchRegex($"^{System.Text.RegularExpressions.Regex.Escape(Environment.MachineName)}_[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}$");
        LeaderElectionOptions.NewIdentity().Should().NotBe(first);
    }

    [Fact]
    public async Task TwoCandidatesOnOneHost_WithDefaultIdentities_DoNotBothLead()
    {
        using var stop = new CancellationTokenSource();
        var a = new LeaderElector(Client.Api, Options(LeaderElectionOptions.NewIdentity()));
        var b = new LeaderElector(Client.Api, Options(LeaderElectionOptions.NewIdentity()));
        var running = new[] { a.RunAsync(stop.Token), b.RunAsync(stop.Token) };

        await TestResources.EventuallyAsync(() => a.IsLeader || b.IsLeader, "one leads");
        for (var i = 0; i < 15; i++)
        {
            (a.IsLeader && b.IsLeader).Should().BeFalse("a candidate finding its own identity in the Lease takes itself for the leader");
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(running);
    }

    [Fact]
    public async Task LeaseTimes_AreTheClocksAndMicroTimes_EvenOnAWholeSecond()
    {
        // On a whole second the library wrote no fraction, which the API server's MicroTime rejects.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var stop = new CancellationTokenSource();
        var elector = new LeaderElector(Client.Api, Options("a"), clock);
        var running = elector.RunAsync(stop.Token);

        await TestResources.EventuallyAsync(() => elector.IsLeader, "a leads");
        var spec = Server.GetObject(ResourceType.Leases, "reconciler-system", "reconciler-leader")!["spec"]!;
        spec["acquireTime"]!.ToString().Should().Be("2026-03-01T12:00:00.000001Z");
        spec["renewTime"]!.ToString().Should().Be("2026-03-01T12:00:00.000001Z");

        clock.Advance(TimeSpan.FromSeconds(1));
        await TestResources.EventuallyAsync(() => Server.GetObject(ResourceType.Leases, "reconciler-system", "reconciler-leader")!["spec"]!["renewTime"]!.ToString() == "2026-03-01T12:00:01.000001Z", "a renews on the clock");
        spec = Server.GetObject(ResourceType.Leases, "reconciler-system", "reconciler-leader")!["spec"]!;
        spec["acquireTime"]!.ToString().Should().Be("2026-03-01T12:00:00.000001Z", "renewing keeps the acquire time");

        clock.Advance(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await running;
        spec = Server.GetObject(ResourceType.Leases, "reconciler-system", "reconciler-leader")!["spec"]!;
        spec["holderIdentity"]!.ToString().Should().BeEmpty("a released the lease");
        spec["acquireTime"]!.ToString().Should().Be("2026-03-01T12:00:02.000001Z");
        spec["renewTime"]!.ToString().Should().Be("2026-03-01T12:00:02.000001Z");
    }

    [Theory]
    [InlineData(403, "the Role grants no create on leases in this namespace")]
    [InlineData(422, "the lease name is no DNS subdomain")]
    [InlineData(404, "the lease namespace does not exist")]
    public async Task ACandidateWhoseLeaseCreateIsRefused_SaysWhyAtEveryAttempt_InsteadOfStandingByInSilence(int code, string because)
    {
        Server.FailNextRequests("create", code, count: 1000, resource: "leases");
        var logger = new ListLogger();
        using var stop = new CancellationTokenSource();
        var elector = new LeaderElector(Client.Api, Options("a"), logger: logger);
        var running = elector.RunAsync(stop.Token);

        await TestResources.EventuallyAsync(() => logger.Lines.Count(line => line.Contains($"failed: {code}", StringComparison.Ordinal)) >= 2, $"every refused create is logged ({because})");
        elector.IsLeader.Should().BeFalse();
        logger.Lines.Should().AllSatisfy(line => line.Should().StartWith("a could not acquire or renew the lease: POST /apis/coordination.k8s.io/v1/namespaces/reconciler-system/leases failed:"));
        logger.Lines.Should().Contain(line => line.EndsWith($"failed: {code} {(System.Net.HttpStatusCode)code}: injected failure {code} for create", StringComparison.Ordinal), "the API server's own words say what to fix");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task ALeaderWhoseRenewalIsRefused_SaysWhy_BeforeItStopsLeading()
    {
        var logger = new ListLogger();
        using var stop = new CancellationTokenSource();
        var elector = new LeaderElector(Client.Api, Options("a"), logger: logger);
        var running = elector.RunAsync(stop.Token);
        await TestResources.EventuallyAsync(() => elector.IsLeader, "a leads");

        Server.FailNextRequests("update", 403, count: 1000, resource: "leases");

        await TestResources.EventuallyAsync(() => !elector.IsLeader, "a gives up after its renew deadline");
        logger.Lines.Should().Contain(line => line.StartsWith("a could not acquire or renew the lease: PUT /apis/coordination.k8s.io/v1/namespaces/reconciler-system/leases/reconciler-leader failed: 403", StringComparison.Ordinal));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public void Options_WhoseTimingsCannotWork_AreRejected()
    {
        var act = () => new LeaderElector(Client.Api, Options("a", leaseDuration: TimeSpan.FromSeconds(1), renewDeadline: TimeSpan.FromSeconds(2)));

        act.Should().Throw<ArgumentException>().WithMessage("*LeaseDuration > RenewDeadline*");
    }

    private LeaderElectionOptions Options(string identity, bool releaseOnCancel = true, TimeSpan? leaseDuration = null, TimeSpan? renewDeadline = null) => new()
    {
        LeaseName = "reconciler-leader",
        LeaseNamespace = "reconciler-system",
        Identity = identity,
        LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(1),
        RenewDeadline = renewDeadline ?? TimeSpan.FromMilliseconds(600),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
        ReleaseOnCancel = releaseOnCancel,
        OnStartedLeading = async token =>
        {
            _log.Enqueue($"{identity}: started");
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                _log.Enqueue($"{identity}: work stopped");
            }
        },
        OnStoppedLeading = () => _log.Enqueue($"{identity}: stopped"),
        OnNewLeader = leader => _log.Enqueue($"{identity}: new leader {leader}"),
    };

    /// <summary>The formatted lines logged at Warning or above.</summary>
    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                _lines.Enqueue(formatter(state, exception));
            }
        }
    }

    private Task<V1Lease> LeaseAsync() => Client.Api.CoordinationV1.ReadNamespacedLeaseAsync("reconciler-leader", "reconciler-system");
}
