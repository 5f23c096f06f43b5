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

    [Fact]
    public async Task AReconcileThatThrowsABug_IsRetried_AndTheWorkerGoesOnToTheNextKey()
    {
        await using var kube = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesApiServerOptions { BearerToken = "t" });
        var type = OperatorKinds.TypeOf("TagGroup");
        kube.RegisterCustomResource(type, hasStatusSubresource: true);
        using var client = kube.CreateClient(new KubernetesClientOptions { Qps = 0 });
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new OperatorMetrics(services.GetRequiredService<IMeterFactory>());
        var watcher = new ResourceWatcher<CustomResource>(client, type, new ResourceWatcherOptions { Namespaces = [OperatorFixture.Namespace] }, TimeProvider.System, NullLogger.Instance);
        var reconciler = new BuggyOnce();
        using var loop = new ControllerLoop(watcher, reconciler, metrics, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        // One worker: without the recovery the first throw ends it, and nothing is reconciled again.
        var run = loop.RunAsync(workers: 1, stop.Token);
        foreach (var name in new[] { "first", "second" })
        {
            await client.CreateAsync(type, new CustomResource
            {
                Metadata = new Reconciler.Kubernetes.Models.ObjectMeta { Name = name, Namespace = OperatorFixture.Namespace },
                Spec = new JsonObject { ["displayName"] = name },
            });
        }

        await OperatorFixture.EventuallyAsync(
            () => Task.FromResult(reconciler.Calls.Count(k => k.Name == "first") >= 2 && reconciler.Calls.Count(k => k.Name == "second") >= 2),
            "both keys retried after their reconcile threw", TimeSpan.FromSeconds(15));
        run.IsCompleted.Should().BeFalse("the loop runs on");

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
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
}
