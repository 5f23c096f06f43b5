namespace Reconciler.Kubernetes.Runtime;

/// <summary>Decides how long an item waits before it is retried (client-go's <c>TypedRateLimiter</c>).</summary>
public interface IWorkQueueRateLimiter<in TKey>
{
    /// <summary>The delay before <paramref name="item"/> may be processed again; counts as one more failure.</summary>
    TimeSpan When(TKey item);

    /// <summary>The item succeeded: start its backoff over.</summary>
    void Forget(TKey item);

    int NumRequeues(TKey item);
}

/// <summary>Per-item exponential backoff: <c>baseDelay * 2^failures</c>, capped at <c>maxDelay</c>.</summary>
public sealed class ItemExponentialFailureRateLimiter<TKey>(TimeSpan baseDelay, TimeSpan maxDelay) : IWorkQueueRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Lock _gate = new();

    public TimeSpan When(TKey item)
    {
        lock (_gate)
        {
            var failures = _failures.GetValueOrDefault(item);
            _failures[item] = failures + 1;

            // Compare in doubles: 2^failures overflows TimeSpan long before the cap matters.
            var delay = baseDelay.Ticks * Math.Pow(2, failures);
            return delay >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)delay);
        }
    }

    public void Forget(TKey item)
    {
        lock (_gate)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(TKey item)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(item);
        }
    }
}

/// <summary>
/// One token bucket shared by all items (client-go's <c>BucketRateLimiter</c>): each call reserves a token,
/// possibly in the future, so a storm of failures is spread out at <c>qps</c> after the first <c>burst</c>.
/// </summary>
/// <remarks>
/// System.Threading.RateLimiting's token bucket can only grant or queue, not reserve a future slot and report
/// the delay, and it runs on the wall clock; this needs both reservation and an injectable clock.
/// </remarks>
public sealed class BucketRateLimiter<TKey> : IWorkQueueRateLimiter<TKey>
{
    private readonly double _qps;
    private readonly int _burst;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private double _tokens;
    private long _updatedAt;

    public BucketRateLimiter(double qps, int burst, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _qps = qps;
        _burst = burst;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _tokens = burst;
        _updatedAt = _timeProvider.GetTimestamp();
    }

    public TimeSpan When(TKey item)
    {
        lock (_gate)
        {
            var now = _timeProvider.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_timeProvider.GetElapsedTime(_updatedAt, now).TotalSeconds * _qps));
            _updatedAt = now;
            _tokens--;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public void Forget(TKey item)
    {
        // The bucket is shared; one item's success does not refund anything.
    }

    public int NumRequeues(TKey item) => 0;
}

/// <summary>The longest delay any of several limiters asks for (client-go's <c>MaxOfRateLimiter</c>).</summary>
public sealed class MaxOfRateLimiter<TKey>(params IWorkQueueRateLimiter<TKey>[] limiters) : IWorkQueueRateLimiter<TKey>
{
    public TimeSpan When(TKey item)
    {
        var longest = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var delay = limiter.When(item);
            if (delay > longest)
            {
                longest = delay;
            }
        }

        return longest;
    }

    public void Forget(TKey item)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(item);
        }
    }

    public int NumRequeues(TKey item) => limiters.Length == 0 ? 0 : limiters.Max(limiter => limiter.NumRequeues(item));
}

/// <summary>Factory for client-go's default controller rate limiter.</summary>
public static class WorkQueueRateLimiters
{
    /// <summary>Per-item backoff from 5ms to 1000s, under an overall 10 qps with bursts of 100.</summary>
    public static IWorkQueueRateLimiter<TKey> DefaultController<TKey>(TimeProvider? timeProvider = null)
        where TKey : notnull =>
        new MaxOfRateLimiter<TKey>(
            new ItemExponentialFailureRateLimiter<TKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new BucketRateLimiter<TKey>(10, 100, timeProvider));
}
