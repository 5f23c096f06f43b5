using System.Diagnostics.Metrics;

namespace Reconciler.Benchmarks;

/// <summary>The in-process reference platform's own request and mutation counters, read through a <see cref="MeterListener"/>.</summary>
internal sealed class PlatformCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _reads;
    private long _writes;
    private long _mutations;
    private long _throttled;

    public PlatformCounters()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Reconciler.Platform" && instrument.Name is "reconciler.platform.requests" or "reconciler.platform.mutations" or "reconciler.platform.rate_limited")
                l.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            switch (instrument.Name)
            {
                case "reconciler.platform.mutations":
                    Interlocked.Add(ref _mutations, value);
                    break;
                case "reconciler.platform.rate_limited":
                    Interlocked.Add(ref _throttled, value);
                    break;
                default:
                    var get = false;
                    foreach (var tag in tags)
                        get |= tag.Key == "http.request.method" && tag.Value is "GET";
                    if (get)
                        Interlocked.Add(ref _reads, value);
                    else
                        Interlocked.Add(ref _writes, value);
                    break;
            }
        });
        _listener.Start();
    }

    public Snapshot Read() => new(Interlocked.Read(ref _reads), Interlocked.Read(ref _writes), Interlocked.Read(ref _mutations), Interlocked.Read(ref _throttled));

    public void Dispose() => _listener.Dispose();

    /// <summary>Counts at one instant; subtract two for a window.</summary>
    internal readonly record struct Snapshot(long Reads, long Writes, long Mutations, long Throttled)
    {
        public long Requests => Reads + Writes;

        public static Snapshot operator -(Snapshot a, Snapshot b) => new(a.Reads - b.Reads, a.Writes - b.Writes, a.Mutations - b.Mutations, a.Throttled - b.Throttled);
    }
}
