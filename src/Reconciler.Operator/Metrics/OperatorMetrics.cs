using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes;

namespace Reconciler.Operator.Metrics;

/// <summary>The operator's instruments, all on the one <see cref="MeterName"/> meter.</summary>
public sealed class OperatorMetrics : IDisposable
{
    public const string MeterName = "Reconciler";

    private readonly Meter meter;
    private readonly Counter<long> reconciles;
    private readonly Counter<long> reconcileErrors;
    private readonly Histogram<double> reconcileDuration;
    private readonly ConcurrentDictionary<string, Func<int>> queueDepths = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Kind, string Key), bool> drifted = new();
    private readonly ConcurrentDictionary<string, byte> everDrifted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Gauge, string Key), Measurement<double>> statusGauges = new();

    public OperatorMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        meter = meterFactory.Create(MeterName);
        reconciles = meter.CreateCounter<long>("reconciler.reconciles", description: "Reconciles by kind and result (success, error, requeue).");
        reconcileErrors = meter.CreateCounter<long>("reconciler.reconcile.errors", description: "Failed reconciles by kind and condition reason.");
        reconcileDuration = meter.CreateHistogram<double>("reconciler.reconcile.duration", unit: "s", description: "Time one reconcile took, by kind.");
        meter.CreateObservableGauge("reconciler.workqueue.depth", ObserveQueueDepths, description: "Keys waiting in each controller's work queue.");
        meter.CreateObservableGauge("reconciler.drifted.resources", ObserveDrift, description: "Resources whose platform object differs from the spec, by kind.");
        foreach (var gauge in ResourceCatalog.Kinds.SelectMany(k => k.Description.Gauges))
            meter.CreateObservableGauge(gauge.Name, () => ObserveStatus(gauge.Name), description: gauge.Description);
    }

    public void RecordReconcile(string kind, string result, TimeSpan duration)
    {
        var kindTag = new KeyValuePair<string, object?>("kind", kind);
        reconciles.Add(1, kindTag, new KeyValuePair<string, object?>("result", result));
        reconcileDuration.Record(duration.TotalSeconds, kindTag);
    }

    public void RecordError(string kind, string reason) =>
        reconcileErrors.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Registers a controller's queue so scrapes read its current depth.</summary>
    public void TrackQueue(string kind, Func<int> depth) => queueDepths[kind] = depth;

    public void SetDrifted(string kind, string key, bool isDrifted)
    {
        if (isDrifted)
        {
            drifted[(kind, key)] = true;
        }
        else
        {
            drifted.TryRemove((kind, key), out _);
        }
    }

    /// <summary>The kind's status gauges for one resource, from the status just written; a gauge without a reading drops its series.</summary>
    public void SetStatus(ObjectKey key, Resource resource, ResourceStatus status)
    {
        ArgumentNullException.ThrowIfNull(resource);
        foreach (var gauge in ResourceCatalog.DescriptionOf(resource).Gauges)
        {
            if (gauge.Read(resource, status) is not { } reading)
            {
                statusGauges.TryRemove((gauge.Name, key.ToString()), out _);
                continue;
            }

            KeyValuePair<string, object?>[] tags =
            [
                new("namespace", key.Namespace),
                new("name", key.Name),
                .. reading.Tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)),
            ];
            statusGauges[(gauge.Name, key.ToString())] = new Measurement<double>(reading.Value, tags);
        }
    }

    /// <summary>Drops a deleted resource's status gauges.</summary>
    public void ForgetStatus(string kind, ObjectKey key)
    {
        if (ResourceCatalog.Find(kind) is not { } info)
            return;
        foreach (var gauge in info.Description.Gauges)
            statusGauges.TryRemove((gauge.Name, key.ToString()), out _);
    }

    public void Dispose() => meter.Dispose();

    private IEnumerable<Measurement<double>> ObserveStatus(string gauge) =>
        statusGauges.Where(g => g.Key.Gauge == gauge).Select(g => g.Value);

    private IEnumerable<Measurement<int>> ObserveQueueDepths() =>
        queueDepths.Select(q => new Measurement<int>(q.Value(), new KeyValuePair<string, object?>("kind", q.Key)));

    // A kind whose last drift was corrected reports 0: a series that merely stopped would keep its last value, and the
    // drift alert would keep firing.
    private IEnumerable<Measurement<int>> ObserveDrift()
    {
        var counts = drifted.Keys.GroupBy(k => k.Kind).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var kind in counts.Keys)
            everDrifted.TryAdd(kind, 0);
        return everDrifted.Keys.Select(kind => new Measurement<int>(counts.GetValueOrDefault(kind), new KeyValuePair<string, object?>("kind", kind)));
    }
}
