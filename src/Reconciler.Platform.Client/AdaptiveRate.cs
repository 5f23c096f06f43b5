namespace Reconciler.Platform.Client;

/// <summary>
/// The client's request rate, adapted to the platform's back-pressure the way TCP adapts to loss (AIMD): a 429 cuts
/// the rate multiplicatively (at most once per second, however many workers hear it), every success regrows it
/// additively and slowly. Without a configured budget it starts unlimited and only learns a rate from the first 429;
/// with one, it never exceeds it. Requests are spaced evenly at the current rate rather than sent in bursts.
/// </summary>
public sealed class AdaptiveRate(double? budget, TimeProvider time)
{
    /// <summary>Multiplicative decrease on a 429.</summary>
    public const double Decrease = 0.75;

    /// <summary>Additive increase: requests per second gained per second of successes.</summary>
    public const double Increase = 0.2;

    private const double Minimum = 0.5;

    private readonly Lock _gate = new();
    private readonly Queue<long> _recentSuccesses = new();
    private double? _rate = budget is > 0 ? budget : null;
    private long _nextSlot;
    private long _lastCut = long.MinValue;

    /// <summary>The current rate in requests per second; null while unlimited.</summary>
    public double? Current
    {
        get
        {
            lock (_gate)
                return _rate;
        }
    }

    /// <summary>Waits for this request's slot at the current rate.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            if (_rate is not { } current)
                return;
            var now = time.GetTimestamp();
            var slot = Math.Max(now, _nextSlot);
            _nextSlot = slot + (long)(time.TimestampFrequency / current);
            wait = time.GetElapsedTime(now, slot);
        }

        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, time, cancellationToken);
    }

    /// <summary>A request got through: regrow by <see cref="Increase"/> per second's worth of successes.</summary>
    public void Succeeded()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _recentSuccesses.Enqueue(now);
            while (_recentSuccesses.Count > 0 && time.GetElapsedTime(_recentSuccesses.Peek(), now) > TimeSpan.FromSeconds(2))
                _recentSuccesses.Dequeue();
            if (_rate is { } current)
                _rate = Math.Min(budget is > 0 ? budget.Value : double.MaxValue, current + (Increase / current));
        }
    }

    /// <summary>The platform said 429: cut the rate (once per second); an unlimited client starts from what got through lately.</summary>
    public void Throttled()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_lastCut != long.MinValue && time.GetElapsedTime(_lastCut, now) < TimeSpan.FromSeconds(1))
                return;
            _lastCut = now;
            var observed = _recentSuccesses.Count / 2.0;
            _rate = Math.Max(Minimum, (_rate ?? Math.Max(observed, Minimum) / Decrease) * Decrease);
            _nextSlot = Math.Max(_nextSlot, now);
        }
    }
}
