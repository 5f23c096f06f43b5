namespace Reconciler.Platform.Faults;

/// <summary>
/// Decides which requests get an injected fault. One random generator behind a lock, seeded when
/// <see cref="FaultInjectionOptions.Seed"/> is set, so a test sees the same sequence every run.
/// </summary>
internal sealed class FaultInjector(FaultInjectionOptions options)
{
    private readonly Lock _gate = new();
    private readonly Random _random = options.Seed is { } seed ? new Random(seed) : new Random();

    public FaultInjectionOptions Options => options;

    public bool Enabled => options.Any;

    public bool ShouldRejectWithServiceUnavailable() => Roll(options.ServiceUnavailableRate);

    public bool ShouldDropAfterCommit() => Roll(options.DropAfterCommitRate);

    private bool Roll(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        if (rate >= 1)
        {
            return true;
        }

        lock (_gate)
        {
            return _random.NextDouble() < rate;
        }
    }
}
