using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes.Runtime;

/// <summary>
/// An informer for one resource type: lists, then watches from the list's resourceVersion, keeping
/// <see cref="Cache"/> current and telling handlers what changed. Watches end (server timeouts, dropped
/// connections): it resumes from the last resourceVersion seen (bookmarks included) with jittered backoff,
/// and relists when that version has expired (410 Gone), is ahead of the server (after an etcd restore) or the watch
/// ends with any other ERROR event but a 429, as client-go's reflector does, reporting objects deleted meanwhile as deleted. Given several namespaces it lists and watches each on its own, into the one
/// cache, as controller-runtime's multi-namespace cache does: a namespaced Role grants no cluster-wide list or watch.
/// </summary>
public sealed class ResourceWatcher<T>
    where T : class, IKubernetesObject
{
    // A watch that ends sooner than this without delivering anything is treated as a failure, not as a normal close.
    private static readonly TimeSpan ShortWatch = TimeSpan.FromSeconds(1);

    // Slack before the client gives up on a watch the server should have ended by its own timeout.
    private static readonly TimeSpan WatchGrace = TimeSpan.FromSeconds(30);

    // The longest Retry-After honoured, as RetryAfterHandler's default: a wild value must not stall the informer.
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromSeconds(60);

    private readonly IKubernetesClient _client;
    private readonly ResourceType _type;
    private readonly ResourceWatcherOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Action<ResourceEvent<T>>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IReadOnlyList<Scope> _scopes;
    private int _unsyncedScopes;

    public ResourceWatcher(IKubernetesClient client, ResourceType type, ResourceWatcherOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(type);
        _client = client;
        _type = type;
        _options = options ?? new ResourceWatcherOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _scopes = _options.Namespaces.Count == 0 ? [new Scope(null)] : [.. _options.Namespaces.Distinct(StringComparer.Ordinal).Select(ns => new Scope(ns))];
        _unsyncedScopes = _scopes.Count;
    }

    public ResourceCache<T> Cache { get; } = new();

    /// <summary>The resource type this informer lists and watches.</summary>
    public ResourceType Type => _type;

    /// <summary>The resourceVersion the next watch resumes from; null when watching several namespaces, each of which has its own.</summary>
    public string? LastSyncResourceVersion => _scopes.Count == 1 ? _scopes[0].ResourceVersion : null;

    /// <summary>True once the first list of every namespace has been applied to <see cref="Cache"/>.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Registers a handler, first replaying every cached object to it as Added. Handlers run on the watch loop
    /// and must be quick (typically: enqueue a key).
    /// </summary>
    public void AddHandler(Action<ResourceEvent<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers.Add(handler);
            foreach (var obj in Cache.List())
            {
                Invoke(handler, new ResourceEvent<T>(ResourceEventType.Added, obj));
            }
        }
    }

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> fires; never throws for API or network failures.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var resync = _options.ResyncPeriod is { } period && period > TimeSpan.Zero ? ResyncLoopAsync(period, cancellationToken) : Task.CompletedTask;
        await Task.WhenAll(_scopes.Select(scope => RunScopeAsync(scope, cancellationToken)));
        await resync;
    }

    private async Task RunScopeAsync(Scope scope, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff);
        var relist = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan? delay = null;
            try
            {
                var justListed = relist;
                if (relist)
                {
                    await ListAsync(scope, cancellationToken);
                    relist = false;
                }

                var end = await WatchOnceAsync(scope, cancellationToken);
                switch (end)
                {
                    case WatchEnd.Expired or WatchEnd.AheadOfServer:
                        if (end == WatchEnd.Expired)
                        {
                            WatcherLog.Expired(_logger, _type, scope.ResourceVersion);
                        }
                        else
                        {
                            WatcherLog.AheadOfServer(_logger, _type, scope.ResourceVersion);
                        }

                        relist = true;

                        // Expiring a version the server has just listed means something is wrong server-side; slow down.
                        delay = justListed ? backoff.Next() : null;
                        break;
                    case WatchEnd.Closed:
                        backoff.Reset();
                        break;
                    case WatchEnd.ClosedEarly:
                        delay = backoff.Next();
                        WatcherLog.ClosedEarly(_logger, _type, delay.Value);
                        break;
                    case WatchEnd.Failed:
                        relist = true;
                        delay = backoff.Next();
                        break;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (KubernetesApiException ex) when (ex.IsGone)
            {
                // A refused watch means relist now; a list refused with 410 is retried after a pause.
                WatcherLog.Expired(_logger, _type, scope.ResourceVersion);
                delay = relist ? backoff.Next() : null;
                relist = true;
            }
            catch (Exception ex) when (KubernetesErrors.IsTransient(ex))
            {
                // Expected while the API server is away: one line per retry, no stack trace. RetryAfterHandler leaves
                // watches to this loop, so a throttled watch (429 from Priority and Fairness) waits as long as the
                // server asked, as client-go's watch request does; sooner would only meet another 429.
                delay = backoff.Next();
                if (ex is KubernetesApiException { RetryAfter: { } asked } && asked > delay)
                {
                    delay = asked < LongestRetryAfter ? asked : LongestRetryAfter;
                }

                WatcherLog.Failed(_logger, _type, relist ? "list" : "watch", delay.Value, KubernetesErrors.Describe(ex));
            }
            catch (Exception ex)
            {
                delay = backoff.Next();
                WatcherLog.FailedUnexpectedly(_logger, ex, _type, relist ? "list" : "watch", delay.Value);
            }

            if (delay is { } wait && !await DelayAsync(wait, cancellationToken))
            {
                break;
            }
        }
    }

    private async Task ListAsync(Scope scope, CancellationToken cancellationToken)
    {
        var list = await _client.ListAllAsync<T>(_type, scope.Namespace, new ListOptions { LabelSelector = _options.LabelSelector, Limit = _options.PageSize }, cancellationToken);
        lock (_gate)
        {
            var listed = new HashSet<ObjectKey>();
            foreach (var obj in list.Items)
            {
                listed.Add(ObjectKey.From(obj));
                Upsert(obj);
            }

            // Anything cached (in this namespace) but not listed was deleted while we were not watching.
            foreach (var key in Cache.Keys().Where(key => (scope.Namespace is null || key.Namespace == scope.Namespace) && !listed.Contains(key)))
            {
                if (Cache.Remove(key, out var gone))
                {
                    Dispatch(new ResourceEvent<T>(ResourceEventType.Deleted, gone));
                }
            }

            scope.ResourceVersion = list.Metadata.ResourceVersion;
        }

        WatcherLog.Listed(_logger, _type, scope.Namespace ?? "", list.Items.Count, list.Metadata.ResourceVersion);
        if (!scope.Listed)
        {
            scope.Listed = true;
            if (Interlocked.Decrement(ref _unsyncedScopes) == 0)
            {
                _synced.TrySetResult();
            }
        }
    }

    private async Task<WatchEnd> WatchOnceAsync(Scope scope, CancellationToken cancellationToken)
    {
        var timeout = _options.MinWatchTimeout * (1 + Random.Shared.NextDouble());
        using var guard = new CancellationTokenSource(timeout + WatchGrace, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, guard.Token);
        var started = _timeProvider.GetTimestamp();
        var received = 0;
        var options = new WatchOptions
        {
            ResourceVersion = scope.ResourceVersion,
            LabelSelector = _options.LabelSelector,
            AllowBookmarks = true,
            Timeout = timeout,
        };

        try
        {
            await foreach (var change in _client.WatchAsync<T>(_type, scope.Namespace, options, linked.Token))
            {
                received++;
                if (change.Type == WatchEventType.Error)
                {
                    // Judged as a failed request's status is: code 410, or reason Expired or Gone, means the version is compacted away.
                    var error = new KubernetesApiException(change.Status ?? new KubernetesStatus { Message = "The watch reported an error without a status." });
                    if (error.IsGone)
                    {
                        return WatchEnd.Expired;
                    }

                    // The server is behind our version (etcd restored from a backup) and may never reach it: resuming
                    // from it again would be refused forever, so relist from the server's current state, as client-go does.
                    if (IsResourceVersionTooLarge(change.Status))
                    {
                        return WatchEnd.AheadOfServer;
                    }

                    // Throttled: the transient-failure path watches again from here once the server's wait is over.
                    if (error.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        throw error;
                    }

                    // Any other ERROR ends client-go's ListAndWatch, which lists again: the server accepted the watch and
                    // then could not serve it (a conversion webhook failing on an object, a storage error), and a watch
                    // resumed from the same version would most likely meet the same error for as long as it lasts.
                    WatcherLog.WatchFailed(_logger, _type, scope.ResourceVersion, KubernetesErrors.Describe(error));
                    return WatchEnd.Failed;
                }

                Apply(scope, change);
            }
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The server kept the watch open past its own timeout; start a fresh one.
        }

        return received > 0 || _timeProvider.GetElapsedTime(started) >= ShortWatch ? WatchEnd.Closed : WatchEnd.ClosedEarly;
    }

    private static bool IsResourceVersionTooLarge(KubernetesStatus? status) =>
        status is { Code: 504, Details.Causes: { } causes } && causes.Any(cause => cause.Reason == "ResourceVersionTooLarge");

    private void Apply(Scope scope, WatchEvent<T> change)
    {
        var obj = change.Object!;
        lock (_gate)
        {
            switch (change.Type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    Upsert(obj);
                    break;
                case WatchEventType.Deleted when Cache.Remove(ObjectKey.From(obj), out _):
                    Dispatch(new ResourceEvent<T>(ResourceEventType.Deleted, obj));
                    break;
            }

            scope.ResourceVersion = obj.Metadata.ResourceVersion;
        }
    }

    private void Upsert(T obj)
    {
        var key = ObjectKey.From(obj);
        if (Cache.TryGet(key, out var old))
        {
            // A resumed watch or a relist can repeat what we already have.
            if (old.Metadata.ResourceVersion == obj.Metadata.ResourceVersion)
            {
                return;
            }

            Cache.Set(key, obj);
            Dispatch(new ResourceEvent<T>(ResourceEventType.Updated, obj, old));
        }
        else
        {
            Cache.Set(key, obj);
            Dispatch(new ResourceEvent<T>(ResourceEventType.Added, obj));
        }
    }

    private async Task ResyncLoopAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                lock (_gate)
                {
                    foreach (var obj in Cache.List())
                    {
                        Dispatch(new ResourceEvent<T>(ResourceEventType.Resynced, obj));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Dispatch(ResourceEvent<T> change)
    {
        foreach (var handler in _handlers)
        {
            Invoke(handler, change);
        }
    }

    private void Invoke(Action<ResourceEvent<T>> handler, ResourceEvent<T> change)
    {
        // One faulty handler must not stop the watch or starve the others.
        try
        {
            handler(change);
        }
        catch (Exception ex)
        {
            WatcherLog.HandlerFailed(_logger, ex, _type, change.Type, ObjectKey.From(change.Object).ToString());
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private enum WatchEnd
    {
        Closed,
        ClosedEarly,
        Expired,
        AheadOfServer,
        Failed,
    }

    /// <summary>One namespace (null: all, or a cluster-scoped type) listed and watched on its own, with its own resourceVersion.</summary>
    private sealed class Scope(string? @namespace)
    {
        private string? _resourceVersion;

        public string? Namespace { get; } = @namespace;

        public string? ResourceVersion
        {
            get => Volatile.Read(ref _resourceVersion);
            set => Volatile.Write(ref _resourceVersion, value);
        }

        public bool Listed { get; set; }
    }
}

internal static partial class WatcherLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Listed {Resource} in namespace '{Namespace}': {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, ResourceType resource, string @namespace, int count, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Resource} expired at resourceVersion {ResourceVersion}; relisting")]
    public static partial void Expired(ILogger logger, ResourceType resource, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch of {Resource} from resourceVersion {ResourceVersion} is ahead of the API server (etcd restored?); relisting")]
    public static partial void AheadOfServer(ILogger logger, ResourceType resource, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch of {Resource} from resourceVersion {ResourceVersion} ended with an error; relisting: {Error}")]
    public static partial void WatchFailed(ILogger logger, ResourceType resource, string? resourceVersion, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watch of {Resource} closed immediately without events; retrying in {Delay}")]
    public static partial void ClosedEarly(ILogger logger, ResourceType resource, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Operation} of {Resource} failed; retrying in {Delay}: {Error}")]
    public static partial void Failed(ILogger logger, ResourceType resource, string operation, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Operation} of {Resource} failed unexpectedly; retrying in {Delay}")]
    public static partial void FailedUnexpectedly(ILogger logger, Exception exception, ResourceType resource, string operation, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "A handler of {Resource} failed on {EventType} of {Key}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, ResourceType resource, ResourceEventType eventType, string key);
}
