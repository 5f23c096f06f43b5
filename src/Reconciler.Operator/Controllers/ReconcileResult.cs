using Reconciler.Core.Engine;

namespace Reconciler.Operator.Controllers;

/// <summary>How a reconcile ended, after controller-runtime's Result and TerminalError: the loop decides when to look again.</summary>
public sealed record ReconcileResult
{
    private ReconcileResult(string outcome, TimeSpan? requeueAfter, string? reason)
    {
        Outcome = outcome;
        RequeueAfter = requeueAfter;
        Reason = reason;
    }

    /// <summary>success, retry, terminal or waiting: the metrics' result label.</summary>
    public string Outcome { get; }

    public TimeSpan? RequeueAfter { get; }

    /// <summary>The condition reason of a failure.</summary>
    public string? Reason { get; }

    public bool IsRetryable => Outcome == "retry";

    /// <summary>Done; look again after <paramref name="requeueAfter"/> (the resync interval), or only on the next event.</summary>
    public static ReconcileResult Success(TimeSpan? requeueAfter = null) => new("success", requeueAfter, null);

    /// <summary>A transient failure: requeue with the per-item exponential backoff.</summary>
    public static ReconcileResult Retry(string reason) => new("retry", null, reason);

    /// <summary>Nothing can succeed until the spec changes (validation): no requeue.</summary>
    public static ReconcileResult Terminal(string reason) => new("terminal", null, reason);

    /// <summary>Blocked on something else (a referenced resource, a Secret): look again after a fixed delay, and on its event.</summary>
    public static ReconcileResult Wait(string reason, TimeSpan after) => new("waiting", after, reason);

    /// <summary>The loop's answer to a failure the engine classified: the one place a retry decision becomes a requeue.</summary>
    public static ReconcileResult After(RetryDecision decision, string reason, TimeSpan wait) => decision switch
    {
        RetryDecision.AfterDependency => Wait(reason, wait),
        RetryDecision.Backoff => Retry(reason),
        _ => Terminal(reason),
    };
}
