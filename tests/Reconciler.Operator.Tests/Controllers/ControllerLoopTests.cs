using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Runtime;
using Reconciler.Kubernetes.Tests.Fakes;
using Reconciler.Operator.Controllers;
using Reconciler.Operator.Kinds;
using Reconciler.Operator.Metrics;
using Reconciler.Operator.Tests.EndToEnd;

namespace Reconciler.Operator.Tests.Controllers;

/// <summary>The controller loop: which watch events it reconciles, and (over a fake API server) what a reconcile that throws does to its worker.</summary>
public sealed class ControllerLoopTests
{
    /// <summary>Throws a NullReferenceException on the first reconcile of each key, as a bug would; succeeds after.</summary>
    private sealed class BuggyOnce : IReconciler
    {
        public ConcurrentQueue<ObjectKey> Calls { get; } = new();

        public string Kind => "TagGroup";

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            var first = !Calls.Contains(key);
            Calls.Enqueue(key);
            if (first)
                throw new NullReferenceException("a reconcile bug");
            return Task.FromResult(ReconcileResult.Success());
        }
    }

    /// <summary>Writes the status of the key it is given, or reads another object, neither of which exists: a 404 each time.</summary>
    private sealed class MeetsNotFound(IKubernetesClient client, ResourceType type, bool aboutItself) : IReconciler
    {
        public ConcurrentQueue<ObjectKey> Calls { get; } = new();

        public string Kind => "TagGroup";

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            Calls.Enqueue(key);
            if (aboutItself)
                await client.PatchStatusAsync<CustomResource>(type, key.Namespace, key.Name, new JsonObject { ["status"] = new JsonObject() }, cancellationToken);
            else
                await client.GetAsync<CustomResource>(type, key.Namespace, "referenced-" + key.Name, cancellationToken);
            return ReconcileResult.Success();
        }
    }

    [Fact]
    public async Task AReconcileThatThrowsABug_IsRetried_AndTheWorkerGoesOnToTheNextKey()
    {
        await using var kube = await StartKubeAsync();
        using var client = kube.CreateClient(new KubernetesClientOptions { Qps = 0 });
        var reconciler = new BuggyOnce();
        await using var running = await RunAsync(client, reconciler);

        // One worker: without the recovery the first throw ends it, and nothing is reconciled again.
        foreach (var name in new[] { "first", "second" })
        {
            await client.CreateAsync(TagGroups, new CustomResource
            {
                Metadata = new Reconciler.Kubernetes.Models.ObjectMeta { Name = name, Namespace = OperatorFixture.Namespace },
                Spec = new JsonObject { ["displayName"] = name },
            });
        }

        await OperatorFixture.EventuallyAsync(
            () => Task.FromResult(reconciler.Calls.Count(k => k.Name == "first") >= 2 && reconciler.Calls.Count(k => k.Name == "second") >= 2),
            "both keys retried after their reconcile threw", TimeSpan.FromSeconds(15));
        running.Run.IsCompleted.Should().BeFalse("the loop runs on");
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A404AboutTheObjectItself_EndsItsReconcile_WhileA404AboutAnythingElseIsRetried(bool aboutItself, bool retried)
    {
        // controller-runtime's IgnoreNotFound: an object deleted while it was reconciled has nothing left to write to.
        await using var kube = await StartKubeAsync();
        using var client = kube.CreateClient(new KubernetesClientOptions { Qps = 0 });
        var reconciler = new MeetsNotFound(client, TagGroups, aboutItself);
        await using var running = await RunAsync(client, reconciler);

        running.Loop.Enqueue(new ObjectKey(OperatorFixture.Namespace, "deleted-meanwhile"));

        await OperatorFixture.EventuallyAsync(() => Task.FromResult(!reconciler.Calls.IsEmpty), "the key reconciled", TimeSpan.FromSeconds(15));
        if (retried)
        {
            await OperatorFixture.EventuallyAsync(() => Task.FromResult(reconciler.Calls.Count >= 2), "the key retried", TimeSpan.FromSeconds(15));
        }
        else
        {
            // The rate limiter's first retries come after 5 and 10 ms: a retry would have happened well within this.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            reconciler.Calls.Should().ContainSingle();
            running.Loop.Queue.Count.Should().Be(0);
        }
    }

    [Theory]
    [InlineData("uid-1", 1L, "uid-1", 1L, false)]
    [InlineData("uid-1", 1L, "uid-1", 2L, true)]
    [InlineData("uid-1", 1L, "uid-2", 1L, true)]
    public void An_update_is_reconciled_when_the_spec_moved_or_the_object_is_another_one(string oldUid, long oldGeneration, string uid, long generation, bool reconciled)
    {
        static CustomResource Object(string uid, long generation) => new()
        {
            Metadata = new Reconciler.Kubernetes.Models.ObjectMeta { Name = "priority", Namespace = OperatorFixture.Namespace, Uid = uid, Generation = generation },
            Spec = new JsonObject { ["displayName"] = "Priority" },
        };

        ControllerLoop.NeedsReconcile(Object(oldUid, oldGeneration), Object(uid, generation)).Should().Be(reconciled);
    }

    private static readonly ResourceType TagGroups = OperatorKinds.TypeOf("TagGroup");

    private static async Task<FakeKubernetesApiServer> StartKubeAsync()
    {
        var kube = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesApiServerOptions { BearerToken = "t" });
        kube.RegisterCustomResource(TagGroups, hasStatusSubresource: true);
        return kube;
    }

    private static async Task<RunningLoop> RunAsync(KubernetesClient client, IReconciler reconciler)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new OperatorMetrics(services.GetRequiredService<IMeterFactory>());
        var watcher = new ResourceWatcher<CustomResource>(client, TagGroups, new ResourceWatcherOptions { Namespaces = [OperatorFixture.Namespace] }, TimeProvider.System, NullLogger.Instance);
        var loop = new ControllerLoop(watcher, reconciler, metrics, TimeProvider.System, NullLogger.Instance);
        var stop = new CancellationTokenSource();
        var running = new RunningLoop(services, metrics, loop, stop, loop.RunAsync(workers: 1, stop.Token));
        await watcher.WaitForSyncAsync();
        return running;
    }

    /// <summary>A controller loop with one worker, stopped and disposed with everything it was built from.</summary>
    private sealed record RunningLoop(ServiceProvider Services, OperatorMetrics Metrics, ControllerLoop Loop, CancellationTokenSource Stop, Task Run) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
            Loop.Dispose();
            Metrics.Dispose();
            Stop.Dispose();
            await Services.DisposeAsync();
        }
    }
}
