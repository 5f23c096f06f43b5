using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Runtime;
using Reconciler.Operator.Kinds;
using Reconciler.Operator.Metrics;
using Reconciler.Platform.Client;

namespace Reconciler.Operator.Controllers;

/// <summary>Reconciles one object, identified by namespace/name; reads the object from the informer cache.</summary>
public interface IReconciler
{
    string Kind { get; }

    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}

/// <summary>
/// One controller: a watcher feeding a work queue drained by workers. The queue guarantees a key is never reconciled
/// by two workers at once. Only changes that can alter the outcome enqueue: a new generation, deletion, finalizers or
/// the operator's annotations — never a status write, which bumps only the resourceVersion.
/// </summary>
public sealed partial class ControllerLoop : IDisposable
{
    private readonly IReconciler _reconciler;
    private readonly OperatorMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>The result reason of a reconcile that threw something other than an API server failure.</summary>
    public const string UnexpectedError = "UnexpectedError";

    private readonly Func<ObjectKey, bool> _accepts;

    public ControllerLoop(ResourceWatcher<CustomResource> watcher, IReconciler reconciler, OperatorMetrics metrics, TimeProvider time, ILogger logger, Func<ObjectKey, bool>? accepts = null)
    {
        _accepts = accepts ?? (_ => true);
        ArgumentNullException.ThrowIfNull(watcher);
        ArgumentNullException.ThrowIfNull(metrics);
        Watcher = watcher;
        _reconciler = reconciler;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        Queue = new WorkQueue<ObjectKey>(WorkQueueRateLimiters.DefaultController<ObjectKey>(time), time, metrics.QueueMetrics(reconciler.Kind));
        metrics.TrackController(reconciler.Kind, () => Queue.Count, () => watcher.Cache.List().Where(r => _accepts(ObjectKey.From(r))));
        watcher.AddHandler(OnEvent);
    }

    public ResourceWatcher<CustomResource> Watcher { get; }

    public WorkQueue<ObjectKey> Queue { get; }

    public string Kind => _reconciler.Kind;

    /// <summary>The keys reconciled at least once in this term.</summary>
    public FirstPass FirstPass { get; } = new();

    public static bool NeedsReconcile(CustomResource? old, CustomResource current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (old is null)
            return true;
        // A relist after a watch outage shows an object deleted and created again under its name as an update from
        // generation 1 to generation 1: only its uid tells that it is another object, which has never been reconciled.
        return old.Metadata.Uid != current.Metadata.Uid
            || old.Metadata.Generation != current.Metadata.Generation
            || old.Metadata.DeletionTimestamp != current.Metadata.DeletionTimestamp

            // Finalizers matter only while deleting (ours may be the last one left); adding ours is the reconcile's own
            // write, and reconciling again for it would repeat that reconcile's events.
            || (current.Metadata.DeletionTimestamp is not null && !(old.Metadata.Finalizers ?? []).SequenceEqual(current.Metadata.Finalizers ?? []))
            || OperatorKinds.IsPaused(old) != OperatorKinds.IsPaused(current)
            || OperatorKinds.ResyncRequest(old) != OperatorKinds.ResyncRequest(current)
            || OperatorKinds.AllowedGuards(old) != OperatorKinds.AllowedGuards(current);
    }

    public void Enqueue(ObjectKey key)
    {
        if (_accepts(key))
            Queue.Add(key);
    }

    /// <summary>
    /// Runs the watcher and <paramref name="workers"/> workers until cancelled. The workers start when
    /// <paramref name="workersMayStart"/> completes; until then events only fill the queue.
    /// </summary>
    public async Task RunAsync(int workers, CancellationToken cancellationToken, Task? workersMayStart = null)
    {
        var watch = Watcher.RunAsync(cancellationToken);
        await using var stop = cancellationToken.Register(Queue.ShutDown);
        var loops = Enumerable.Range(0, workers).Select(_ => Task.Run(() => StartWorkingAsync(workersMayStart, cancellationToken), CancellationToken.None)).ToList();
        await Task.WhenAll([watch, .. loops]);
    }

    private void OnEvent(ResourceEvent<CustomResource> e)
    {
        var enqueue = e.Type switch
        {
            ResourceEventType.Updated => NeedsReconcile(e.OldObject, e.Object),
            _ => true,
        };
        if (enqueue)
            Enqueue(ObjectKey.From(e.Object));
    }

    private async Task StartWorkingAsync(Task? workersMayStart, CancellationToken cancellationToken)
    {
        if (workersMayStart is not null)
        {
            try
            {
                await workersMayStart.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }

        await WorkAsync(cancellationToken);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (key, shutDown) = await Queue.GetAsync(CancellationToken.None);
            if (shutDown)
                return;
            try
            {
                var started = _time.GetTimestamp();

                // A root span per reconcile, like controller-runtime's: the platform requests it makes are its children,
                // and their traceparent lands in the platform's audit events.
                using var span = ReconcilerTracing.Source.StartActivity($"reconcile {_reconciler.Kind}", ActivityKind.Internal, parentContext: default);
                span?.SetTag("controller", OperatorMetrics.ControllerName(_reconciler.Kind));
                span?.SetTag("k8s.namespace.name", key.Namespace);
                span?.SetTag("k8s.object.name", key.Name);
                ReconcileResult result;
                try
                {
                    result = await _reconciler.ReconcileAsync(key, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (KubernetesApiException ex) when (ex.IsNotFoundFor(Watcher.Type, key.Name))
                {
                    // Deleted while it was reconciled (another writer removed the last finalizer, or it had none yet): there is
                    // nothing left to write, and its DELETED event is on its way. controller-runtime's IgnoreNotFound.
                    Log.ObjectGone(_logger, _reconciler.Kind, key.ToString());
                    result = ReconcileResult.Success();
                }
                catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException or TimeoutException or IOException)
                {
                    // The API server is the only thing expected to throw (a 409 on a stale write, a dropped connection): retry.
                    // Expected and retried, so one line (as controller-runtime logs it), not a stack trace.
                    Log.ReconcileThrew(_logger, _reconciler.Kind, key.ToString(), KubernetesErrors.Describe(ex));
                    result = ReconcileResult.Retry("KubernetesApiError");
                }
                catch (Exception ex)
                {
                    // A bug in one reconcile (a NullReferenceException) must not end its worker, and with the last one the
                    // kind's reconciling: as controller-runtime recovers a panic, it is logged with its stack and retried.
                    Log.ReconcileCrashed(_logger, _reconciler.Kind, key.ToString(), ex);
                    result = ReconcileResult.Retry(UnexpectedError);
                }

                span?.SetTag("result", result.Outcome);
                if (result.Reason is { } reason)
                    span?.SetStatus(result.Outcome == "success" ? ActivityStatusCode.Unset : ActivityStatusCode.Error, reason);
                FirstPass.Reconciled(key);
                _metrics.RecordReconcile(_reconciler.Kind, result.Outcome, result.RequeueAfter, result.Reason, _time.GetElapsedTime(started));
                Requeue(key, result);
            }
            finally
            {
                Queue.Done(key);
            }
        }
    }

    private void Requeue(ObjectKey key, ReconcileResult result)
    {
        if (result.IsRetryable)
        {
            Queue.AddRateLimited(key);
            return;
        }

        Queue.Forget(key);
        if (result.RequeueAfter is { } after)
            Queue.AddAfter(key, after);
    }

    public void Dispose()
    {
        _metrics.ForgetObjects(_reconciler.Kind);
        Queue.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile of {Kind} {Key} failed talking to the API server; retrying: {Error}")]
        public static partial void ReconcileThrew(ILogger logger, string kind, string key, string error);

        [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} {Key} was deleted while it was reconciled; nothing is left to do")]
        public static partial void ObjectGone(ILogger logger, string kind, string key);

        [LoggerMessage(Level = LogLevel.Error, Message = "Reconcile of {Kind} {Key} threw unexpectedly (a bug); retrying with backoff")]
        public static partial void ReconcileCrashed(ILogger logger, string kind, string key, Exception exception);
    }
}
