using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Platform;

namespace Reconciler.Cli.Tests.Commands;

/// <summary>
/// The requests one reference platform has begun and still has in flight, from its own hosting metrics: the meters of
/// its service provider, so the platforms of tests running at the same time are not counted.
/// </summary>
internal sealed class PlatformRequests : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _started;
    private long _active;

    public PlatformRequests(RunningPlatform platform)
    {
        var scope = platform.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Name == "http.server.active_requests")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, change, _, _) =>
        {
            Interlocked.Add(ref _active, change);
            if (change > 0)
                Interlocked.Increment(ref _started);
        });
        _listener.Start();
    }

    public long Started => Interlocked.Read(ref _started);

    public long Active => Interlocked.Read(ref _active);

    public async Task WaitUntilAsync(Func<PlatformRequests, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the platform never saw {what} ({Started} requests begun, {Active} in flight)");
            await Task.Delay(10);
        }
    }

    public void Dispose() => _listener.Dispose();
}
