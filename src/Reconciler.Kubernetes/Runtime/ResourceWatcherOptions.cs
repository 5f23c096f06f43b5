namespace Reconciler.Kubernetes.Runtime;

/// <summary>What a <see cref="ResourceWatcher{T}"/> watches and how it recovers.</summary>
public sealed record ResourceWatcherOptions
{
    /// <summary>
    /// The namespaces to watch, each listed and watched on its own; empty watches all namespaces at once (or a
    /// cluster-scoped resource).
    /// </summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public string? LabelSelector { get; init; }

    /// <summary>How often every cached object is offered again as <see cref="ResourceEventType.Resynced"/>; null disables.</summary>
    public TimeSpan? ResyncPeriod { get; init; }

    /// <summary>Objects per list page.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Each watch asks the server to end it after a random 1–2× this, spreading reconnects (as client-go's reflector).</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
