using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using static Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.Engine;

public sealed class PlanExecutorTests
{
    [Fact]
    public async Task Apply_WhenOneResourceFails_SkipsItsDependentsAndAppliesTheRest()
    {
        var harness = new EngineHarness();
        harness.Platform.Inject = (operation, collection, key) => operation == "POST" && key == "broken" ? PlatformOutcome.Invalid : null;

        var result = await harness.ApplyAsync(Role("broken") + Agent("boss", role: "broken") + Agent("report", supervisor: "boss") + Agent("unrelated"));

        result.Succeeded.Should().BeFalse();
        result.Results.Should().ContainSingle(r => r.Address.Name == "broken" && r.Outcome == ResourceOutcome.Failed);
        result.Results.Should().ContainSingle(r => r.Address.Name == "boss" && r.Outcome == ResourceOutcome.Skipped && r.Message == "dependency Role/broken failed");
        result.Results.Should().ContainSingle(r => r.Address.Name == "report" && r.Outcome == ResourceOutcome.Skipped && r.Message == "dependency Agent/boss failed");
        result.Results.Should().ContainSingle(r => r.Address.Name == "unrelated" && r.Outcome == ResourceOutcome.Created);
    }

    [Fact]
    public async Task Apply_SendsTheNextRequestBeforeWritingTheProgressLineOfTheOneThatFinished()
    {
        var harness = new EngineHarness();
        var run = await harness.PlanAsync(Agent("ana") + Agent("ben") + Agent("cleo"));
        var startedAtEachLine = new List<int>();

        await harness.ApplyAsync(run, parallelism: 1, progress: new SynchronousProgress(_ => startedAtEachLine.Add(harness.Platform.CreatesStarted)));

        startedAtEachLine.Should().Equal([2, 3, 3], "with one slot, the next create is already asked for when a finished one is reported");
    }

    private sealed class SynchronousProgress(Action<ResourceResult> report) : IProgress<ResourceResult>
    {
        public void Report(ResourceResult value) => report(value);
    }

    [Fact]
    public async Task Apply_SendsChangeReasonsNamingTheResourceAndCommit()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("maria"));

        harness.Platform.Audit.Last().Reason.Should().StartWith("reconciler: create Agent/maria").And.EndWith("git abc1234");
    }

    [Fact]
    public async Task Apply_OnAStaleVersion_ReobservesAndRetriesOnce()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("maria", languages: "en"));
        var run = await harness.PlanAsync(Agent("maria", languages: "de"));
        var maria = harness.Platform.All("agents").Single();
        harness.Platform.Edit("agents", maria.Id, f => f["displayName"] = "Someone else's edit");

        var result = await harness.ApplyAsync(run);

        result.Results.Single().Outcome.Should().Be(ResourceOutcome.Updated);
        harness.Platform.Calls.Should().Contain($"GET agents/{maria.Id}");
        (await harness.PlanAsync(Agent("maria", languages: "de"))).Plan.HasChanges.Should().BeFalse();
    }

    [Fact]
    public async Task Apply_WhenSomeoneMadeTheSameChangeSincePlanning_ReportsItUnchanged()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("maria", languages: "en"));
        var run = await harness.PlanAsync(Agent("maria", languages: "de"));
        var maria = harness.Platform.All("agents").Single();
        harness.Platform.Edit("agents", maria.Id, f => f["languages"] = new System.Text.Json.Nodes.JsonArray("de"));

        var result = await harness.ApplyAsync(run);

        result.Results.Single().Outcome.Should().Be(ResourceOutcome.Unchanged, "its write was answered at once, so the version it met is someone else's");
    }

    [Fact]
    public async Task Apply_WhenTheKeyWasTakenSincePlanning_AdoptsTheExistingObject()
    {
        var harness = new EngineHarness();
        var run = await harness.PlanAsync(Role("lead", "inbox.view"));
        harness.Platform.Seed("roles", new System.Text.Json.Nodes.JsonObject { ["name"] = "lead", ["displayName"] = "by hand" });

        var result = await harness.ApplyAsync(run);

        result.Results.Single().Outcome.Should().Be(ResourceOutcome.Adopted);
        harness.Platform.All("roles").Count(r => r.Key == "lead").Should().Be(1);
    }

    [Fact]
    public async Task Apply_AfterACrash_ReusesTheIdempotencyKeyAndCreatesNoDuplicate()
    {
        var harness = new EngineHarness();
        var run = await harness.PlanAsync(Agent("maria"));
        var crashed = true;
        harness.Platform.Inject = (operation, _, _) => operation == "POST" && crashed ? PlatformOutcome.Unavailable : null;
        await harness.ApplyAsync(run);
        var key = harness.Pending.Snapshot.Should().ContainSingle().Subject.Value;

        crashed = false;
        var rerun = await harness.ApplyAsync(run);

        rerun.Succeeded.Should().BeTrue();
        harness.Pending.Snapshot.Should().BeEmpty("a successful create clears its marker");
        harness.Platform.All("agents").Should().ContainSingle();
        key.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task FilePendingCreateStore_KeepsKeysAcrossInstances()
    {
        var path = Path.Combine(Path.GetTempPath(), "reconciler-tests", Guid.NewGuid().ToString("N"), "pending-creates.json");
        var first = await new FilePendingCreateStore(path, PendingCreatesTests.Replace).ReserveAsync(["agents/maria"], CancellationToken.None);
        var again = await new FilePendingCreateStore(path, PendingCreatesTests.Replace).ReserveAsync(["agents/maria", "roles/lead"], CancellationToken.None);

        again["agents/maria"].Should().Be(first["agents/maria"]);
        await new FilePendingCreateStore(path, PendingCreatesTests.Replace).ReleaseAsync(["agents/maria", "roles/lead"], CancellationToken.None);
        File.ReadAllText(path).Should().Be("{\"version\":2,\"pending\":{}}");
    }

    [Fact]
    public async Task Apply_WhenCancelled_StopsAndARerunConverges()
    {
        var harness = new EngineHarness();
        var yaml = string.Concat(Enumerable.Range(0, 40).Select(i => Agent($"agent-{i}")));
        using var cancel = new CancellationTokenSource();
        var run = await harness.PlanAsync(yaml);
        var progress = 0;
        harness.Platform.Inject = (_, _, _) =>
        {
            if (Interlocked.Increment(ref progress) == 10)
                cancel.Cancel();
            return null;
        };

        var first = await harness.ApplyAsync(run, cancel.Token, parallelism: 2);
        harness.Platform.Inject = null;
        var second = await harness.ApplyAsync(await harness.PlanAsync(yaml));

        first.Cancelled.Should().BeTrue();
        harness.Platform.All("agents").Should().HaveCount(40);
        second.Succeeded.Should().BeTrue();
        (await harness.PlanAsync(yaml)).Plan.HasChanges.Should().BeFalse();
    }

    [Fact]
    public async Task Apply_OfAnUnchangedPlan_WritesNothing()
    {
        var harness = new EngineHarness();
        var yaml = Role("lead") + Agent("boss", role: "lead");
        await harness.ApplyAsync(yaml);
        var before = harness.Platform.Writes;

        var result = await harness.ApplyAsync(yaml);

        result.Results.Should().BeEmpty();
        harness.Platform.Writes.Should().Be(before);
    }
}
