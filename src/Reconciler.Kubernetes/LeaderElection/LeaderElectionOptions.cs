namespace Reconciler.Kubernetes.LeaderElection;

/// <summary>The Lease to contend for, the timings of client-go's leader election, and the callbacks.</summary>
public sealed class LeaderElectionOptions
{
    public required string LeaseName { get; init; }

    public required string LeaseNamespace { get; init; }

    /// <summary>
    /// Unique per candidate (pod name, or <see cref="NewIdentity"/>): a candidate that finds its own identity in the
    /// Lease takes itself for the leader, so two candidates sharing one both lead.
    /// </summary>
    public required string Identity { get; init; }

    /// <summary>How long non-leaders wait after the last observed change of the lease before taking it over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failed renewal before it gives up leadership.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The interval between attempts to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On cancellation, clear the holder so another candidate can take over at once.</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    /// <summary>
    /// Runs while leading; its token is cancelled when leadership ends. Returning from it ends leadership too;
    /// leave it null to just hold the lease and consult <see cref="LeaderElector.IsLeader"/>.
    /// </summary>
    public Func<CancellationToken, Task>? OnStartedLeading { get; init; }

    /// <summary>Called after leadership ended and the leading work has stopped.</summary>
    public Action? OnStoppedLeading { get; init; }

    /// <summary>Called with the identity of each new holder this candidate observes, itself included.</summary>
    public Action<string>? OnNewLeader { get; init; }

    /// <summary>
    /// client-go's default identity, host name + "_" + a random UUID: host names alone repeat (processes on one host,
    /// hostNetwork pods, a fixed container hostname).
    /// </summary>
    public static string NewIdentity() => $"{Environment.MachineName}_{Guid.NewGuid()}";
}
