namespace Reconciler.Kubernetes.Runtime;

/// <summary>
/// client-go's rate-limited work queue. A key is queued at most once however often it is added, and is never
/// handed to two workers at once: a key added while it is being processed is queued again only after
/// <see cref="Done"/>. Failed keys come back after a per-item backoff (<see cref="AddRateLimited"/>) and
/// successful ones reset it (<see cref="Forget"/>). All delays run on the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    // Timers take at most uint.MaxValue - 1 ms (about 49.7 days) and throw above it; a longer delay (a resync of
    // hours on end, as a Go duration allows up to 290 years) is waited for in turns of this.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly IWorkQueueRateLimiter<TKey> _rateLimiter;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, Delayed> _waiting = [];
    private readonly LinkedList<TaskCompletionSource<(TKey Key, bool ShutDown)>> _getters = new();
    private readonly IWorkQueueMetrics? _metrics;
    private readonly Dictionary<TKey, long> _addedAt = [];
    private readonly Dictionary<TKey, long> _startedAt = [];
    private bool _shuttingDown;

    public WorkQueue(IWorkQueueRateLimiter<TKey>? rateLimiter = null, TimeProvider? timeProvider = null, IWorkQueueMetrics? metrics = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _rateLimiter = rateLimiter ?? WorkQueueRateLimiters.DefaultController<TKey>(_timeProvider);
        _metrics = metrics;
    }

    /// <summary>Keys ready to be handed out (client-go's Len): the queue depth.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Keys waiting for a delay to pass before they are queued.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Queues <paramref name="key"/> unless it is already queued; after shutdown, does nothing.</summary>
    public void Add(TKey key)
    {
        lock (_gate)
        {
            AddLocked(key);
        }
    }

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>; an earlier pending delay for the same key wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            if (delay <= TimeSpan.Zero)
            {
                AddLocked(key);
                return;
            }

            var readyAt = _timeProvider.GetUtcNow() + delay;
            if (_waiting.TryGetValue(key, out var pending))
            {
                if (pending.ReadyAt <= readyAt)
                {
                    return;
                }

                pending.Timer?.Dispose();
            }

            var delayed = new Delayed(readyAt);
            _waiting[key] = delayed;
            delayed.Timer = _timeProvider.CreateTimer(_ => OnDelayElapsed(key, delayed), null, Shorter(delay, LongestTimer), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Queues <paramref name="key"/> after the rate limiter's delay: call when processing it failed.</summary>
    public void AddRateLimited(TKey key)
    {
        _metrics?.Retried();
        AddAfter(key, _rateLimiter.When(key));
    }

    /// <summary>Resets the backoff of <paramref name="key"/>: call when processing it succeeded.</summary>
    public void Forget(TKey key) => _rateLimiter.Forget(key);

    public int NumRequeues(TKey key) => _rateLimiter.NumRequeues(key);

    /// <summary>
    /// Waits for a key and marks it as processing; call <see cref="Done"/> with it afterwards.
    /// Returns <c>ShutDown = true</c> once the queue is shut down and drained.
    /// </summary>
    public async ValueTask<(TKey Key, bool ShutDown)> GetAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<(TKey Key, bool ShutDown)> getter;
        LinkedListNode<TaskCompletionSource<(TKey Key, bool ShutDown)>> node;
        lock (_gate)
        {
            if (_queue.TryDequeue(out var key))
            {
                StartProcessingLocked(key);
                return (key, false);
            }

            if (_shuttingDown)
            {
                return (default!, true);
            }

            getter = new TaskCompletionSource<(TKey Key, bool ShutDown)>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _getters.AddLast(getter);
        }

        await using (cancellationToken.Register(() => CancelGetter(node, cancellationToken)))
        {
            return await getter.Task;
        }
    }

    /// <summary>Ends processing of <paramref name="key"/>; if it was added meanwhile, it is queued now.</summary>
    public void Done(TKey key)
    {
        lock (_gate)
        {
            if (_metrics is not null && _startedAt.Remove(key, out var started))
            {
                _metrics.Worked(_timeProvider.GetElapsedTime(started));
            }

            if (_processing.Remove(key) && _dirty.Contains(key))
            {
                EnqueueLocked(key);
            }
        }
    }

    /// <summary>Stops accepting keys and drops pending delays; workers drain what is queued, then get <c>ShutDown</c>.</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            _shuttingDown = true;
            foreach (var delayed in _waiting.Values)
            {
                delayed.Timer?.Dispose();
            }

            _waiting.Clear();
            foreach (var getter in _getters)
            {
                getter.TrySetResult((default!, true));
            }

            _getters.Clear();
        }
    }

    public void Dispose() => ShutDown();

    private void OnDelayElapsed(TKey key, Delayed delayed)
    {
        lock (_gate)
        {
            // A timer replaced by an earlier one may still fire; only the current one counts.
            if (_waiting.TryGetValue(key, out var current) && ReferenceEquals(current, delayed))
            {
                var left = delayed.ReadyAt - _timeProvider.GetUtcNow();
                if (left > TimeSpan.Zero)
                {
                    delayed.Timer?.Change(Shorter(left, LongestTimer), Timeout.InfiniteTimeSpan);
                    return;
                }

                _waiting.Remove(key);
                delayed.Timer?.Dispose();
                AddLocked(key);
            }
        }
    }

    private static TimeSpan Shorter(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void AddLocked(TKey key)
    {
        if (_shuttingDown || !_dirty.Add(key))
        {
            return;
        }

        if (_metrics is not null)
        {
            _metrics.Added();
            _addedAt.TryAdd(key, _timeProvider.GetTimestamp());
        }

        // A key being processed stays out of the queue; Done will queue it.
        if (!_processing.Contains(key))
        {
            EnqueueLocked(key);
        }
    }

    private void EnqueueLocked(TKey key)
    {
        while (_getters.First is { } first)
        {
            _getters.RemoveFirst();
            if (first.Value.TrySetResult((key, false)))
            {
                StartProcessingLocked(key);
                return;
            }
        }

        _queue.Enqueue(key);
    }

    private void StartProcessingLocked(TKey key)
    {
        _dirty.Remove(key);
        _processing.Add(key);
        if (_metrics is not null)
        {
            if (_addedAt.Remove(key, out var added))
            {
                _metrics.Queued(_timeProvider.GetElapsedTime(added));
            }

            _startedAt[key] = _timeProvider.GetTimestamp();
        }
    }

    private void CancelGetter(LinkedListNode<TaskCompletionSource<(TKey Key, bool ShutDown)>> node, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (node.List is not null)
            {
                _getters.Remove(node);
                node.Value.TrySetCanceled(cancellationToken);
            }
        }
    }

    private sealed class Delayed(DateTimeOffset readyAt)
    {
        public DateTimeOffset ReadyAt { get; } = readyAt;

        public ITimer? Timer { get; set; }
    }
}
