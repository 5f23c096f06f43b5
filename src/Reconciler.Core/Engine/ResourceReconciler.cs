using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>How the operator wants one resource reconciled.</summary>
public sealed record ReconcileOneOptions
{
    public required SecretValues Secrets { get; init; }

    /// <summary>Platform ids of referenced resources (their status.id), for references not resolvable by name on the platform.</summary>
    public IReadOnlyDictionary<ResourceId, string> KnownIds { get; init; } = new Dictionary<ResourceId, string>();

    /// <summary>Report only leaves a drifted object as it is (driftPolicy: Report).</summary>
    public DriftPolicy DriftPolicy { get; init; } = DriftPolicy.Correct;

    public required IPendingCreateStore PendingCreates { get; init; }

    public required Func<PlannedChange, ChangeReason> Reasons { get; init; }
}

/// <summary>
/// The outcome of reconciling one resource, shaped for status conditions: what happened, what differs (and who changed it),
/// and whether trying again later can help (KubeOps/controller-runtime "result, not exception").
/// </summary>
public sealed record ResourceReconcileResult(
    ResourceId Address,
    ResourceOutcome Outcome,
    string? ObjectId,
    IReadOnlyList<FieldChange> Differences,
    DriftInfo? Drift,
    string Reason,
    string? Message,
    bool Retryable)
{
    public bool IsSuccess => Outcome is not (ResourceOutcome.Failed or ResourceOutcome.Skipped);
}

/// <summary>Reconciles ONE resource against a cached observation (the operator's per-resource loop); uses the same planner and executor as the CLI.</summary>
public static class ResourceReconciler
{
    public static async Task<ResourceReconcileResult> ReconcileAsync(Resource resource, ObservedState observed, IPlatformClient client, ReconcileOneOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(options);
        var plan = Planner.PlanOne(resource, observed, options.Secrets, options.KnownIds);
        if (plan.Errors.FirstOrDefault() is { } error)
        {
            // A missing reference or secret may appear later; a built-in role or duplicate will not.
            var retryable = error.Reason is "ReferenceNotFound" or "SecretNotFound" or "NotObserved";
            return new(resource.Id, ResourceOutcome.Failed, null, [], null, error.Reason, error.Message, retryable);
        }

        if (plan.Changes.Count == 0)
        {
            var id = plan.Unchanged.FirstOrDefault()?.ObjectId;
            return new(resource.Id, ResourceOutcome.Unchanged, id, [], null, "ReconcileSuccess", null, false);
        }

        var change = plan.Changes[0];
        if (change.Action == ChangeAction.Update && options.DriftPolicy == DriftPolicy.Report)
        {
            var attributed = await new ReconcileEngine(client, NoSecrets.Instance).AttributeDriftAsync(plan, cancellationToken);
            var drifted = attributed.Changes[0];
            return new(resource.Id, ResourceOutcome.Unchanged, change.ObjectId, drifted.Fields, drifted.Drift, "Drifted", "drift reported, not corrected (driftPolicy: Report)", false);
        }

        var applied = await PlanExecutor.ApplyAsync(
            plan,
            client,
            new ApplyOptions { Secrets = options.Secrets, PendingCreates = options.PendingCreates, Reasons = options.Reasons, Parallelism = 1 },
            null,
            cancellationToken);
        var result = applied.Results.Single(r => r.Address == resource.Id);
        if (result.Outcome == ResourceOutcome.Failed)
        {
            var retryable = result.Cause is null or PlatformOutcome.Unavailable or PlatformOutcome.PreconditionFailed or PlatformOutcome.Conflict;
            return new(resource.Id, result.Outcome, result.ObjectId, change.Fields, null, "ReconcileError", result.Message, retryable);
        }

        return new(resource.Id, result.Outcome, result.ObjectId, change.Fields, null, "ReconcileSuccess", null, result.Outcome == ResourceOutcome.Skipped);
    }

    /// <summary>Deletes the platform object of a deleted resource (deletionPolicy: Delete) if Reconciler marked it; absent counts as done.</summary>
    public static async Task<ResourceReconcileResult> DeleteAsync(Resource resource, ObservedState observed, IPlatformClient client, Func<PlannedChange, ChangeReason> reasons, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(reasons);
        var controller = KindControllers.For(resource);
        var key = controller.NaturalKey(resource);
        var target = controller.IsSingleton ? null : observed.Of(controller.Collection).FirstOrDefault(o => o.Key == key);
        if (target is null || !Ownership.IsMarked(target.Labels))
            return new(resource.Id, ResourceOutcome.Unchanged, target?.Id, [], null, "Deleted", target is null ? null : "not marked as Reconciler's; left in place", false);

        var change = new PlannedChange
        {
            Address = resource.Id,
            Action = ChangeAction.Delete,
            Collection = controller.Collection,
            Key = key,
            ObjectId = target.Id,
            ObservedVersion = target.Version,
            Observed = target,
            Source = resource.Source,
        };
        var deleted = await client.DeleteAsync(controller.Collection, target.Id, target.Version, reasons(change), cancellationToken);
        if (deleted.IsOk || deleted.Outcome == PlatformOutcome.NotFound)
            return new(resource.Id, ResourceOutcome.Deleted, target.Id, [], null, "Deleted", null, false);
        return new(resource.Id, ResourceOutcome.Failed, target.Id, [], null, "ReconcileError", deleted.Message, deleted.Outcome != PlatformOutcome.Conflict);
    }

    private sealed class NoSecrets : ISecretResolver
    {
        public static readonly NoSecrets Instance = new();

        public ValueTask<SecretLookup> ResolveAsync(SecretKeyRef reference, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SecretLookup.Missing("not needed to read the audit trail"));
    }
}
