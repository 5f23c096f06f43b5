using Microsoft.Extensions.Time.Testing;
using System.Threading.Channels;

namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>A <see cref="FakeTimeProvider"/> that also reports every wait begun on it, so a test knows when to advance it.</summary>
public sealed class WaitRecordingTimeProvider(FakeTimeProvider clock) : TimeProvider
{
    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();

    public FakeTimeProvider Clock => clock;

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = clock.CreateTimer(callback, state, dueTime, period);
        _waits.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The next wait begun, as asked for.</summary>
    public async Task<TimeSpan> NextWaitAsync() => await _waits.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
