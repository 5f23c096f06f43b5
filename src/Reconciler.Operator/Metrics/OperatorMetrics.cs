using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Runtime;

namespace Reconciler.Operator.Metrics;

/// <summary>
/// The operator's instruments, all on the one <see cref="MeterName"/> meter, named as controller-runtime names its
/// own (<c>controller_runtime_*</c>, <c>workqueue_*</c>, <c>leader_election_master_status</c>) so that dashboards and
/// alerts written for Go operators read them unchanged; the rest are <c>reconciler_*</c>.
/// </summary>
public sealed class OperatorMetrics : IDisposable
{
    public const string MeterName = "Reconciler";

    /// <summary>controller-runtime's result label values.</summary>
    public static readonly IReadOnlyList<string> Results = ["success", "error", "requeue", "requeue_after"];

    // controller-runtime's buckets for reconcile_time_seconds, and client-go's for the work queue (10ns … 1000s).
    private static readonly double[] ReconcileBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
         1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];

    private static readonly double[] QueueBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];

    private readonly Meter _meter;
    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _reconcileErrors;
    private readonly Counter<long> _terminalErrors;
    private readonly Counter<long> _errorsByReason;
    private readonly Histogram<double> _reconcileTime;
    private readonly Counter<long> _queueAdds;
    private readonly Counter<long> _queueRetries;
    private readonly Histogram<double> _queueDuration;
    private readonly Histogram<double> _workDuration;
    private readonly ConcurrentDictionary<string, Func<int>> _queueDepths = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<IEnumerable<CustomResource>>> _resources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<bool>> _leases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Gauge, string Key), Measurement<double>> _statusGauges = new();

    public OperatorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _reconciles = _meter.CreateCounter<long>("controller_runtime_reconcile_total", description: "Total number of reconciliations per controller");
        _reconcileErrors = _meter.CreateCounter<long>("controller_runtime_reconcile_errors_total", description: "Total number of reconciliation errors per controller");
        _terminalErrors = _meter.CreateCounter<long>("controller_runtime_terminal_reconcile_errors_total", description: "Total number of terminal reconciliation errors per controller");
        _errorsByReason = _meter.CreateCounter<long>("reconciler_reconcile_failures_total", description: "Reconciles that ended with a failure condition, by controller and condition reason");
        _reconcileTime = _meter.CreateHistogram("controller_runtime_reconcile_time_seconds", unit: "s", description: "Length of time per reconciliation per controller",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ReconcileBuckets });
        _queueAdds = _meter.CreateCounter<long>("workqueue_adds_total", description: "Total number of adds handled by workqueue");
        _queueRetries = _meter.CreateCounter<long>("workqueue_retries_total", description: "Total number of retries handled by workqueue");
        _queueDuration = _meter.CreateHistogram("workqueue_queue_duration_seconds", unit: "s", description: "How long in seconds an item stays in workqueue before being requested",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QueueBuckets });
        _workDuration = _meter.CreateHistogram("workqueue_work_duration_seconds", unit: "s", description: "How long in seconds processing an item from workqueue takes.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QueueBuckets });
        _meter.CreateObservableGauge("workqueue_depth", ObserveQueueDepths, description: "Current depth of workqueue");
        _meter.CreateObservableGauge("leader_election_master_status", ObserveLeases, description: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease.");
        _meter.CreateObservableGauge("reconciler_resource_info", ObserveResources, description: "The current state of a custom resource: 1 per object, with its Ready, Synced and Drifted condition status as labels");
        _meter.CreateObservableGauge("reconciler_build_info", ObserveBuild, description: "A metric with a constant '1' value labelled by the version and runtime the operator was built with");
        foreach (var gauge in ResourceCatalog.Kinds.SelectMany(k => k.Description.Gauges))
            _meter.CreateObservableGauge(gauge.Name, () => ObserveStatus(gauge.Name), description: gauge.Description);
    }

    /// <summary>controller-runtime's controller name for a kind: the kind in lower case.</summary>
    public static string ControllerName(string kind) => kind.ToLowerInvariant();

    /// <summary>
    /// Registers a controller: its queue's depth and its objects are read on scrape, and its counters start at 0, so
    /// that every series exists before the first reconcile (a rate over a series that appears at its first
    /// increment misses that increment, and an absent series cannot be told from a dead operator).
    /// </summary>
    public void TrackController(string kind, Func<int> depth, Func<IEnumerable<CustomResource>>? objects = null)
    {
        var controller = ControllerName(kind);
        _queueDepths[controller] = depth;
        if (objects is not null)
            _resources[kind] = objects;
        foreach (var result in Results)
            _reconciles.Add(0, Controller(controller), new("result", result));
        _reconcileErrors.Add(0, Controller(controller));
        _terminalErrors.Add(0, Controller(controller));
        _queueAdds.Add(0, Name(controller), Controller(controller));
        _queueRetries.Add(0, Name(controller), Controller(controller));
    }

    /// <summary>Stops reporting a controller's objects: its term ended, and its cache is no longer kept current.</summary>
    public void ForgetObjects(string kind) => _resources.TryRemove(kind, out _);

    /// <summary>Registers a lease whose holder this process may be.</summary>
    public void TrackLease(string name, Func<bool> isLeader) => _leases[name] = isLeader;

    /// <summary>
    /// One reconcile's outcome, in controller-runtime's terms: a retryable or terminal failure is an error, a fixed
    /// wait is requeue_after, and a success that asks to be looked at again later is requeue_after too.
    /// </summary>
    public void RecordReconcile(string kind, string outcome, TimeSpan? requeueAfter, string? reason, TimeSpan duration)
    {
        var controller = Controller(ControllerName(kind));
        var result = outcome switch
        {
            "retry" or "terminal" => "error",
            "waiting" => "requeue_after",
            _ => requeueAfter is null ? "success" : "requeue_after",
        };
        _reconciles.Add(1, controller, new("result", result));
        _reconcileTime.Record(duration.TotalSeconds, controller);
        if (result == "error")
            _reconcileErrors.Add(1, controller);
        if (outcome == "terminal")
            _terminalErrors.Add(1, controller);
        if (reason is not null)
            _errorsByReason.Add(1, controller, new("reason", reason));
    }

    /// <summary>The kind's status gauges for one resource, from the status just written; a gauge without a reading drops its series.</summary>
    public void SetStatus(ObjectKey key, Resource resource, ResourceStatus status)
    {
        ArgumentNullException.ThrowIfNull(resource);
        foreach (var gauge in ResourceCatalog.DescriptionOf(resource).Gauges)
        {
            if (gauge.Read(resource, status) is not { } reading)
            {
                _statusGauges.TryRemove((gauge.Name, key.ToString()), out _);
                continue;
            }

            KeyValuePair<string, object?>[] tags =
            [
                new("namespace", key.Namespace),
                new("name", key.Name),
                .. reading.Tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)),
            ];
            _statusGauges[(gauge.Name, key.ToString())] = new Measurement<double>(reading.Value, tags);
        }
    }

    /// <summary>Drops a deleted resource's status gauges.</summary>
    public void ForgetStatus(string kind, ObjectKey key)
    {
        if (ResourceCatalog.Find(kind) is not { } info)
            return;
        foreach (var gauge in info.Description.Gauges)
            _statusGauges.TryRemove((gauge.Name, key.ToString()), out _);
    }

    /// <summary>client-go's workqueue metrics for one controller's queue.</summary>
    public IWorkQueueMetrics QueueMetrics(string kind) => new QueueRecorder(this, ControllerName(kind));

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Controller(string controller) => new("controller", controller);

    private IEnumerable<Measurement<double>> ObserveStatus(string gauge) =>
        _statusGauges.Where(g => g.Key.Gauge == gauge).Select(g => g.Value);

    private static KeyValuePair<string, object?> Name(string controller) => new("name", controller);

    private IEnumerable<Measurement<int>> ObserveQueueDepths() =>
        _queueDepths.Select(q => new Measurement<int>(q.Value(), Name(q.Key), Controller(q.Key)));

    private IEnumerable<Measurement<int>> ObserveLeases() =>
        _leases.Select(l => new Measurement<int>(l.Value() ? 1 : 0, new KeyValuePair<string, object?>("name", l.Key)));

    // Read from the informer caches on scrape, as Flux's gotk_resource_info: a deleted object's series goes with it,
    // and the labels are the conditions the API server holds, not a copy that could disagree.
    private IEnumerable<Measurement<int>> ObserveResources()
    {
        foreach (var (kind, objects) in _resources)
        {
            foreach (var resource in objects())
            {
                var conditions = resource.Status?["conditions"] as JsonArray;
                yield return new Measurement<int>(
                    1,
                    new("kind", kind),
                    new("namespace", resource.Metadata.Namespace ?? ""),
                    new("name", resource.Metadata.Name ?? ""),
                    new("ready", ConditionStatus(conditions, "Ready")),
                    new("synced", ConditionStatus(conditions, "Synced")),
                    new("drifted", ConditionStatus(conditions, "Drifted")));
            }
        }
    }

    private static string ConditionStatus(JsonArray? conditions, string type)
    {
        foreach (var condition in conditions ?? [])
        {
            if (condition?["type"]?.GetValue<string>() == type)
                return condition["status"]?.GetValue<string>() ?? "Unknown";
        }

        return "Unknown";
    }

    private static IEnumerable<Measurement<int>> ObserveBuild()
    {
        var assembly = Assembly.GetEntryAssembly() ?? typeof(OperatorMetrics).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
        yield return new Measurement<int>(1, new("version", version), new("runtime", RuntimeInformation.FrameworkDescription));
    }

    private sealed class QueueRecorder(OperatorMetrics metrics, string controller) : IWorkQueueMetrics
    {
        public void Added() => metrics._queueAdds.Add(1, Name(controller), Controller(controller));

        public void Retried() => metrics._queueRetries.Add(1, Name(controller), Controller(controller));

        public void Queued(TimeSpan waited) => metrics._queueDuration.Record(waited.TotalSeconds, Name(controller), Controller(controller));

        public void Worked(TimeSpan took) => metrics._workDuration.Record(took.TotalSeconds, Name(controller), Controller(controller));
    }
}
