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
    private readonly OperatorOptions _options;
    private readonly ResourceWatcher<Secret> _secrets;
    private readonly ControllerLoop _connectionLoop;
    private readonly List<ControllerLoop> _resourceLoops = [];
    private readonly EventRecorder _events;
    private readonly Func<ObjectKey, bool> _accepts;
    private readonly Dictionary<string, ControllerLoop> _loopsByCollection = new(StringComparer.Ordinal);
    private readonly AuditFeedTailer _feed;
    private readonly Dictionary<string, ControllerLoop> _loopsByKind = new(StringComparer.Ordinal);
    private readonly ReferenceWaiters _references;

    public OperatorRuntime(IKubernetesClient client, OperatorOptions options, OperatorMetrics metrics, PlatformClientMetrics platformMetrics, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        var watched = options.Namespaces.ToHashSet(StringComparer.Ordinal);
        bool Accepts(ObjectKey key) => watched.Count == 0 || (key.Namespace is { } ns && watched.Contains(ns));
        _accepts = Accepts;

        // One list and watch per watched namespace: the chart grants a Role in each, and no cluster-wide list or watch.
        ResourceWatcherOptions WatcherOptions() => new() { Namespaces = [.. watched], ResyncPeriod = options.ResyncInterval, InitialBackoff = options.WatchBackoff };

        var logger = loggerFactory.CreateLogger("Reconciler.Operator");
        _secrets = new ResourceWatcher<Secret>(client, ResourceType.Secrets, WatcherOptions() with { ResyncPeriod = null }, time, logger);
        Connections = new PlatformConnections(_secrets.Cache, platformMetrics, time, loggerFactory);
        _events = new EventRecorder(client.Api, new EventRecorderOptions { ReportingController = "support.reconciler.dev/operator", ReportingInstance = options.Identity }, time, logger);
        var status = new StatusWriter(client, time);
        RecentWrites = status.Recent;

        var caches = new Dictionary<string, ResourceCache<CustomResource>>(StringComparer.Ordinal);
        var watchers = ResourceCatalog.Kinds.ToDictionary(
            k => k.Kind,
            k => new ResourceWatcher<CustomResource>(client, OperatorKinds.TypeOf(k), WatcherOptions(), time, logger),
            StringComparer.Ordinal);
        foreach (var kind in ResourceCatalog.Kinds.Where(k => k.Kind != nameof(PlatformConnection)))
            caches[kind.Kind] = watchers[kind.Kind].Cache;
        foreach (var watcher in watchers.Values)
        {
            watcher.AddHandler(e =>
            {
                if (e.Type == ResourceEventType.Deleted)
                    status.Recent.Forget(e.Object);
            });
        }

        _references = new ReferenceWaiters((kind, key) => _loopsByKind[kind].Enqueue(key));
        var context = new ReconcilerContext(client, caches, new NamespaceValidation(caches), Connections, status, _events, metrics, new InMemoryPendingCreateStore(), _references, watchers[nameof(PlatformConnection)].Cache, logger);
        foreach (var kind in ResourceCatalog.Kinds.Where(k => k.Kind != nameof(PlatformConnection)))
            _resourceLoops.Add(new ControllerLoop(watchers[kind.Kind], new ResourceController(kind, context), metrics, time, logger, Accepts));

        var connectionReconciler = new ConnectionReconciler(watchers[nameof(PlatformConnection)].Cache, _secrets.Cache, Connections, status, RequeueNamespace, logger);
        _connectionLoop = new ControllerLoop(watchers[nameof(PlatformConnection)], connectionReconciler, metrics, time, logger, Accepts);
        _secrets.AddHandler(OnSecretEvent);

        foreach (var loop in _resourceLoops)
        {
            _loopsByCollection[KindMappers.ForKind(loop.Kind).Collection] = loop;
            _loopsByKind[loop.Kind] = loop;
        }

        _feed = new AuditFeedTailer(Connections, _loopsByCollection.ToDictionary(l => l.Key, l => KindMappers.ForKind(l.Value.Kind)), OnPlatformChange, RequeueConnection, time, logger);
    }

    public PlatformConnections Connections { get; }

    /// <summary>The status and finalizer writes not yet seen by the informers; for tests.</summary>
    internal RecentWrites RecentWrites { get; }

    /// <summary>True once every informer has listed; until then reconciles would see partial namespaces.</summary>
    public bool HasSynced => _secrets.HasSynced && _connectionLoop.Watcher.HasSynced && _resourceLoops.All(l => l.Watcher.HasSynced);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var secretWatch = _secrets.RunAsync(cancellationToken);
        await _secrets.WaitForSyncAsync(cancellationToken);
        var connectionsTried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = _resourceLoops.Select(l => l.RunAsync(_options.Workers, cancellationToken, connectionsTried.Task)).ToList();
        await Task.WhenAll(_resourceLoops.Select(l => l.Watcher.WaitForSyncAsync(cancellationToken)));
        loops.Add(_connectionLoop.RunAsync(1, cancellationToken));

        // A quiet start: resources reconciled before their connection's first list pass would all report
        // PlatformUnavailable for a moment (a status write each, and an alert), although nothing is wrong.
        await _connectionLoop.Watcher.WaitForSyncAsync(cancellationToken);
        var listed = _connectionLoop.Watcher.Cache.Keys().Where(_accepts).ToList();
        await _connectionLoop.FirstPass.WaitAsync(listed, cancellationToken);
        connectionsTried.SetResult();
        loops.Add(_feed.RunAsync(cancellationToken));
        await Task.WhenAll([secretWatch, .. loops]);
    }

    public void Dispose()
    {
        _connectionLoop.Dispose();
        foreach (var loop in _resourceLoops)
            loop.Dispose();
        Connections.Dispose();
    }

    /// <summary>After a list pass every resource is compared with the fresh observation: drift detection.</summary>
    private void RequeueNamespace(string @namespace)
    {
        foreach (var loop in _resourceLoops)
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
            _references.Created(connection.Namespace);
        if (!_loopsByCollection.TryGetValue(change.Collection, out var loop))
            return;
        foreach (var resource in loop.Watcher.Cache.List(connection.Namespace))
        {
            if (StatusWriter.Read(resource).Id == change.ObjectId)
                loop.Enqueue(ObjectKey.From(resource));
        }
    }

    private void RequeueConnection(string @namespace)
    {
        foreach (var connection in _connectionLoop.Watcher.Cache.List(@namespace))
            _connectionLoop.Enqueue(ObjectKey.From(connection));
    }

    /// <summary>A new or rotated Secret may be a token or an SSO client secret: look at the connection and the namespace again.</summary>
    private void OnSecretEvent(ResourceEvent<Secret> e)
    {
        if (e.Type is not (ResourceEventType.Added or ResourceEventType.Updated) || e.Object.Metadata.Namespace is not { } ns)
            return;
        if (e.OldObject is { } old && SameData(old, e.Object))
            return;
        foreach (var connection in _connectionLoop.Watcher.Cache.List(ns))
            _connectionLoop.Enqueue(ObjectKey.From(connection));
        RequeueNamespace(ns);
    }

    private static bool SameData(Secret a, Secret b)
    {
        var left = a.Data ?? new Dictionary<string, byte[]>();
        var right = b.Data ?? new Dictionary<string, byte[]>();
        return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out var v) && v.AsSpan().SequenceEqual(kv.Value));
    }
}
