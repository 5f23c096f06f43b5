using Microsoft.Extensions.Logging;
using Reconciler.Core.Mapping;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Events;
using Reconciler.Kubernetes.Models;
using Reconciler.Kubernetes.Runtime;
using Reconciler.Operator.Connections;
using Reconciler.Operator.Controllers;
using Reconciler.Operator.Kinds;
using Reconciler.Operator.Metrics;
using Reconciler.Platform.Client;

namespace Reconciler.Operator.Hosting;

/// <summary>
/// The controllers of one leader term: a watcher and work queue per kind, the Secret informer, and the per-namespace
/// platform connections. Everything is built fresh when leadership starts, so a new leader never trusts stale caches.
/// </summary>
public sealed class OperatorRuntime : IDisposable
{
    private readonly OperatorOptions options;
    private readonly ResourceWatcher<Secret> secrets;
    private readonly ControllerLoop connectionLoop;
    private readonly List<ControllerLoop> resourceLoops = [];
    private readonly EventRecorder events;
    private readonly Func<ObjectKey, bool> accepts;
    private readonly Dictionary<string, ControllerLoop> loopsByCollection = new(StringComparer.Ordinal);
    private readonly AuditFeedTailer feed;
    private readonly Dictionary<string, ControllerLoop> loopsByKind = new(StringComparer.Ordinal);
    private readonly ReferenceWaiters references;

    public OperatorRuntime(IKubernetesClient client, OperatorOptions options, OperatorMetrics metrics, PlatformClientMetrics platformMetrics, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.options = options;
        var watchNamespace = options.Namespaces.Count == 1 ? options.Namespaces[0] : null;
        var watched = options.Namespaces.ToHashSet(StringComparer.Ordinal);
        bool Accepts(ObjectKey key) => watched.Count == 0 || (key.Namespace is { } ns && watched.Contains(ns));
        accepts = Accepts;
        ResourceWatcherOptions WatcherOptions() => new() { Namespace = watchNamespace, ResyncPeriod = options.ResyncInterval, InitialBackoff = options.WatchBackoff };

        var logger = loggerFactory.CreateLogger("Reconciler.Operator");
        secrets = new ResourceWatcher<Secret>(client, ResourceType.Secrets, WatcherOptions() with { ResyncPeriod = null }, time, logger);
        Connections = new PlatformConnections(secrets.Cache, platformMetrics, time, loggerFactory);
        events = new EventRecorder(client.Api, new EventRecorderOptions { ReportingController = "support.reconciler.dev/operator", ReportingInstance = options.Identity }, time, logger);
        var status = new StatusWriter(client, time);

        var caches = new Dictionary<string, ResourceCache<CustomResource>>(StringComparer.Ordinal);
        var watchers = ResourceCatalog.Kinds.ToDictionary(
            k => k.Kind,
            k => new ResourceWatcher<CustomResource>(client, OperatorKinds.TypeOf(k), WatcherOptions(), time, logger),
            StringComparer.Ordinal);
        foreach (var kind in ResourceCatalog.Kinds.Where(k => k.Kind != nameof(PlatformConnection)))
            caches[kind.Kind] = watchers[kind.Kind].Cache;

        references = new ReferenceWaiters((kind, key) => loopsByKind[kind].Enqueue(key));
        var context = new ReconcilerContext(client, caches, new NamespaceValidation(caches), Connections, status, events, metrics, new InMemoryPendingCreateStore(), references, logger);
        foreach (var kind in ResourceCatalog.Kinds.Where(k => k.Kind != nameof(PlatformConnection)))
            resourceLoops.Add(new ControllerLoop(watchers[kind.Kind], new ResourceController(kind, context), metrics, time, logger, Accepts));

        var connectionReconciler = new ConnectionReconciler(watchers[nameof(PlatformConnection)].Cache, secrets.Cache, Connections, status, RequeueNamespace, logger);
        connectionLoop = new ControllerLoop(watchers[nameof(PlatformConnection)], connectionReconciler, metrics, time, logger, Accepts);
        secrets.AddHandler(OnSecretEvent);

        foreach (var loop in resourceLoops)
        {
            loopsByCollection[KindMappers.ForKind(loop.Kind).Collection] = loop;
            loopsByKind[loop.Kind] = loop;
        }

        feed = new AuditFeedTailer(Connections, loopsByCollection.ToDictionary(l => l.Key, l => KindMappers.ForKind(l.Value.Kind)), OnPlatformChange, RequeueConnection, time, logger);
    }

    public PlatformConnections Connections { get; }

    /// <summary>True once every informer has listed; until then reconciles would see partial namespaces.</summary>
    public bool HasSynced => secrets.HasSynced && connectionLoop.Watcher.HasSynced && resourceLoops.All(l => l.Watcher.HasSynced);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var secretWatch = secrets.RunAsync(cancellationToken);
        await secrets.WaitForSyncAsync(cancellationToken);
        var connectionsTried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = resourceLoops.Select(l => l.RunAsync(options.Workers, cancellationToken, connectionsTried.Task)).ToList();
        await Task.WhenAll(resourceLoops.Select(l => l.Watcher.WaitForSyncAsync(cancellationToken)));
        loops.Add(connectionLoop.RunAsync(1, cancellationToken));

        // A quiet start: resources reconciled before their connection's first list pass would all report
        // PlatformUnavailable for a moment (a status write each, and an alert), although nothing is wrong.
        await connectionLoop.Watcher.WaitForSyncAsync(cancellationToken);
        var listed = connectionLoop.Watcher.Cache.Keys().Where(accepts).ToList();
        await connectionLoop.FirstPass.WaitAsync(listed, cancellationToken);
        connectionsTried.SetResult();
        loops.Add(feed.RunAsync(cancellationToken));
        await Task.WhenAll([secretWatch, .. loops]);
    }

    public void Dispose()
    {
        connectionLoop.Dispose();
        foreach (var loop in resourceLoops)
            loop.Dispose();
        events.Dispose();
        Connections.Dispose();
    }

    /// <summary>After a list pass every resource is compared with the fresh observation: drift detection.</summary>
    private void RequeueNamespace(string @namespace)
    {
        foreach (var loop in resourceLoops)
        {
            foreach (var resource in loop.Watcher.Cache.List(@namespace))
                loop.Enqueue(ObjectKey.From(resource));
        }
    }

    /// <summary>A platform object changed outside this operator: compare the resources that own it with the fresh cache.</summary>
    private void OnPlatformChange(PlatformConnectionState connection, AuditRecord change)
    {
        // Something created elsewhere may be what a waiting resource references.
        if (change.Action == "create")
            references.Created(connection.Namespace);
        if (!loopsByCollection.TryGetValue(change.Collection, out var loop))
            return;
        foreach (var resource in loop.Watcher.Cache.List(connection.Namespace))
        {
            if (StatusWriter.Read(resource).Id == change.ObjectId)
                loop.Enqueue(ObjectKey.From(resource));
        }
    }

    private void RequeueConnection(string @namespace)
    {
        foreach (var connection in connectionLoop.Watcher.Cache.List(@namespace))
            connectionLoop.Enqueue(ObjectKey.From(connection));
    }

    /// <summary>A new or rotated Secret may be a token or an SSO client secret: look at the connection and the namespace again.</summary>
    private void OnSecretEvent(ResourceEvent<Secret> e)
    {
        if (e.Type is not (ResourceEventType.Added or ResourceEventType.Updated) || e.Object.Metadata.Namespace is not { } ns)
            return;
        if (e.OldObject is { } old && SameData(old, e.Object))
            return;
        foreach (var connection in connectionLoop.Watcher.Cache.List(ns))
            connectionLoop.Enqueue(ObjectKey.From(connection));
        RequeueNamespace(ns);
    }

    private static bool SameData(Secret a, Secret b)
    {
        var left = a.Data ?? new Dictionary<string, byte[]>();
        var right = b.Data ?? new Dictionary<string, byte[]>();
        return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out var v) && v.AsSpan().SequenceEqual(kv.Value));
    }
}
