namespace Reconciler.Kubernetes.Runtime;

/// <summary>
/// Exponential backoff with "equal jitter": each delay is uniformly in [d/2, d] where d doubles up to the cap,
/// so clients that failed together do not retry together.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan maximum)
{
    private int _attempt;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(maximum.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, _attempt));
        if (ceiling < maximum.TotalMilliseconds)
        {
            _attempt++;
        }

        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    public void Reset() => _attempt = 0;
}
