using Reconciler.Kubernetes;

namespace Reconciler.Operator.Controllers;

/// <summary>
/// Which keys a controller has reconciled at least once, whatever the outcome. Resource workers wait until every
/// PlatformConnection listed at start has had its first pass, so a restart never reports a connection as missing.
/// </summary>
public sealed class FirstPass
{
    private readonly Lock gate = new();
    private readonly HashSet<ObjectKey> done = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Reconciled(ObjectKey key)
    {
        TaskCompletionSource? signal = null;
        lock (gate)
        {
            if (done.Add(key))
            {
                signal = changed;
                changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
            lock (gate)
            {
                if (keys.All(done.Contains))
                    return;
                next = changed.Task;
            }

            await next.WaitAsync(cancellationToken);
        }
    }
}
