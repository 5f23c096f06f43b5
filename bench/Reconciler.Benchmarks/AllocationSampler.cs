using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Reconciler.Benchmarks;

/// <summary>
/// Bytes allocated per type, sampled in-process from the runtime's allocation ticks (one event per ~100 KB allocated,
/// naming the type whose allocation crossed the mark): what a heap profiler's allocation view shows, without one.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    /// <summary>A sampler when <c>BENCH_ALLOCATIONS=1</c>, else none.</summary>
    public static AllocationSampler? FromEnvironment() =>
        Environment.GetEnvironmentVariable("BENCH_ALLOCATIONS") == "1" ? new AllocationSampler() : null;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is not { } names)
            return;
        var type = eventData.Payload![names.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(eventData.Payload[names.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
        _bytesByType.AddOrUpdate(type, amount, (_, total) => total + amount);
    }

    /// <summary>The types that took the most sampled bytes, largest first, with their share.</summary>
    public void Print(int top)
    {
        var total = _bytesByType.Values.Sum();
        Console.WriteLine($"sampled allocations: {total / (1024 * 1024)} MiB");
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(e => e.Value).Take(top))
            Console.WriteLine($"  {bytes * 100.0 / total,5:F1} %  {bytes / 1024,9:N0} KiB  {type}");
    }
}
