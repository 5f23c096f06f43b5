using Reconciler.Kubernetes;

namespace Reconciler.Operator.Controllers;

/// <summary>
/// Which keys a controller has reconciled at least once, whatever the outcome. Resource workers wait until every
/// PlatformConnection listed at start has had its first pass, so a restart never reports a connection as missing.
/// </summary>
public sealed class FirstPass
{
    private readonly Lock _gate = new();
    private readonly HashSet<ObjectKey> _done = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Reconciled(ObjectKey key)
    {
        TaskCompletionSource? signal = null;
        lock (_gate)
        {
            if (_done.Add(key))
            {
                signal = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        signal?.TrySetResult();
    }

    /// <summary>Completes once each of <paramref name="keys"/> has been reconciled.</summary>
    public async Task WaitAsync(IReadOnlyCollection<ObjectKey> keys, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (keys.All(_done.Contains))
                    return;
                next = _changed.Task;
            }

            await next.WaitAsync(cancellationToken);
        }
    }
}
