namespace Reconciler.Benchmarks;

/// <summary>What one benchmark run uses: the CLI build, the connection's resync interval and the steady-state window.</summary>
internal sealed record ScaleSettings
{
    public required string Cli { get; init; }

    /// <summary>Short enough that the steady-state window holds at least one full resync pass of every resource.</summary>
    public string ResyncInterval { get; init; } = "30s";

    public int SteadySeconds { get; init; } = 45;

    public bool SkipCli { get; init; }

    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromMinutes(20);
}
