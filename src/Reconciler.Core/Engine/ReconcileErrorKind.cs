using System.Collections.Frozen;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Status;

namespace Reconciler.Core.Engine;

/// <summary>When trying a failed reconcile again can help.</summary>
public enum RetryDecision
{
    /// <summary>Not until the spec changes (invalid, built-in, duplicate): no requeue.</summary>
    Never,

    /// <summary>A transient failure (the platform unavailable, a stale version): requeue with backoff.</summary>
    Backoff,

    /// <summary>Blocked on something else appearing (a referenced resource, a Secret): look again after a delay and on its event.</summary>
    AfterDependency,
}

/// <summary>Why a resource could not be planned or reconciled: the reason plans and events name, the condition reason, and one retry decision.</summary>
public sealed record ReconcileErrorKind(string Reason, RetryDecision Retry)
{
    /// <summary>
    /// A reference not found: Reconciling, not Stalled, as Flux treats a dependency not yet ready; a GitOps tool applies a
    /// batch in an order of its own, and the referenced resource may be declared a moment later.
    /// </summary>
    public static readonly ReconcileErrorKind ReferenceNotFound = new(ConditionReasons.ReferenceNotFound, RetryDecision.AfterDependency);

    public static readonly ReconcileErrorKind SecretNotFound = new("SecretNotFound", RetryDecision.AfterDependency);

    /// <summary>The platform returned no singleton object; a later observation may.</summary>
    public static readonly ReconcileErrorKind NotObserved = new("NotObserved", RetryDecision.Backoff);

    /// <summary>A plan guard refused the change; another change (an agent added, an override set) can make it safe.</summary>
    public static readonly ReconcileErrorKind GuardRefused = new(ConditionReasons.GuardRefused, RetryDecision.Backoff) { Stalls = true };

    /// <summary>A body the platform's wire rules refuse: the spec must change.</summary>
    public static readonly ReconcileErrorKind InvalidField = new("InvalidField", RetryDecision.Never) { ConditionReason = ConditionReasons.ValidationFailed };

    /// <summary>A permission the platform's catalog does not (yet) have; a platform upgrade can add it.</summary>
    public static readonly ReconcileErrorKind UnknownPermission = new("UnknownPermission", RetryDecision.AfterDependency) { ConditionReason = ConditionReasons.ValidationFailed, Stalls = true };

    /// <summary>A placeholder the platform's catalog does not (yet) have; a platform upgrade can add it.</summary>
    public static readonly ReconcileErrorKind UnknownPlaceholder = new("UnknownPlaceholder", RetryDecision.AfterDependency) { ConditionReason = ConditionReasons.ValidationFailed, Stalls = true };

    /// <summary>Two resources with the same platform key.</summary>
    public static readonly ReconcileErrorKind DuplicateKey = new("DuplicateKey", RetryDecision.Never);

    /// <summary>One resource defined twice.</summary>
    public static readonly ReconcileErrorKind Duplicate = new("Duplicate", RetryDecision.Never);

    private static readonly FrozenDictionary<string, ReconcileErrorKind> Known = new[] { ReferenceNotFound, SecretNotFound, NotObserved, InvalidField, UnknownPermission, UnknownPlaceholder, GuardRefused, DuplicateKey, Duplicate }
        .Concat(ResourceCatalog.Kinds.Where(k => k.Description.BuiltIn.Count > 0).Select(k => BuiltIn(k.Description)))
        .ToFrozenDictionary(k => k.Reason, StringComparer.Ordinal);

    /// <summary>The reason of the resource's status condition; a spec that defines a built-in object failed validation.</summary>
    public string ConditionReason { get; init; } = Reason;

    /// <summary>
    /// Whether it waits on a person rather than on time: a GitOps tool waiting on the resource is told at once (kstatus
    /// Stalled, which Flux's health checks fail fast on) instead of timing out. Some are still retried, since an
    /// unannounced change (an admin added, a platform upgrade) can also heal them.
    /// </summary>
    public bool Stalls { get; init; } = Retry == RetryDecision.Never;

    /// <summary>Where the resource stands while failing this way.</summary>
    public ReconcileProgress Progress => Stalls ? ReconcileProgress.Stalled : ReconcileProgress.Reconciling;

    public bool IsRetryable => Retry != RetryDecision.Never;

    /// <summary>A resource that names one of the platform's built-in objects (BuiltInRole).</summary>
    public static ReconcileErrorKind BuiltIn(KindDescription kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return new("BuiltIn" + kind.Kind, RetryDecision.Never) { ConditionReason = ConditionReasons.ValidationFailed };
    }

    /// <summary>A platform write that failed: worth another try unless the platform rejected the request itself.</summary>
    public static ReconcileErrorKind PlatformWrite(PlatformOutcome? cause) =>
        new(ConditionReasons.ReconcileError, cause is null or PlatformOutcome.Unavailable or PlatformOutcome.PreconditionFailed or PlatformOutcome.Conflict ? RetryDecision.Backoff : RetryDecision.Never);

    /// <summary>The kind of a plan error's reason; an unknown reason is not retried.</summary>
    public static ReconcileErrorKind Of(string reason) => Known.GetValueOrDefault(reason) ?? new(reason, RetryDecision.Never);
}
