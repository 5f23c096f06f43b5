using System.Text.Json.Nodes;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Status;

namespace Reconciler.Core.Engine;

/// <summary>A resource declared alongside the one being reconciled (same namespace or folder), as far as references care.</summary>
/// <param name="StatusId">The platform id its own status reports; may lag its platform write.</param>
/// <param name="IsBeingDeleted">Its platform object is about to go: nothing may start pointing at it.</param>
public sealed record DeclaredSibling(string? StatusId, bool IsBeingDeleted);

/// <summary>How the operator wants one resource reconciled.</summary>
public sealed record ReconcileOneOptions
{
    public required SecretValues Secrets { get; init; }

    /// <summary>
    /// The resources declared alongside this one. A reference to one of them resolves to the object it owns (by the
    /// ownership label, else its status id) and waits while it has none; other names are left to the planner
    /// (built-in roles, objects made by hand).
    /// </summary>
    public IReadOnlyDictionary<ResourceId, DeclaredSibling> Siblings { get; init; } = new Dictionary<ResourceId, DeclaredSibling>();

    /// <summary>
    /// The platform object this resource was synced to at its current spec, if it was. A difference on that object was
    /// made on the platform (drift), not in the spec, so it is attributed and handled per <see cref="DriftPolicy"/>.
    /// </summary>
    public string? SyncedObjectId { get; init; }

    /// <summary>Report only leaves a drifted object as it is (driftPolicy: Report).</summary>
    public DriftPolicy DriftPolicy { get; init; } = DriftPolicy.Correct;

    public required IPendingCreateStore PendingCreates { get; init; }

    public required Func<PlannedChange, ChangeReason> Reasons { get; init; }

    /// <summary>The guards' limits and overrides; a change a guard refuses is not written.</summary>
    public Guards.GuardPolicy Guards { get; init; } = new();

    /// <summary>The instant dated changes are evaluated at (the operator's now); null plans the base spec.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Fields other systems own (the PlatformConnection's fieldOwners): never written to an existing object, never drift.</summary>
    public FieldOwnership.FieldOwners? FieldOwners { get; init; }
}

/// <summary>
/// The outcome of reconciling one resource, shaped for status conditions: what happened, what differs (and who changed it),
/// and whether trying again later can help (KubeOps/controller-runtime "result, not exception"). The reason is a CamelCase
/// condition reason: ReconcileSuccess, DriftDetected, DriftCorrected, ReferenceNotFound, ...
/// </summary>
public sealed record ResourceReconcileResult(
    ResourceId Address,
    ResourceOutcome Outcome,
    string? ObjectId,
    IReadOnlyList<FieldChange> Differences,
    DriftInfo? Drift,
    string Reason,
    string? Message,
    RetryDecision Retry)
{
    /// <summary>Whether trying again later can help.</summary>
    public bool Retryable => Retry != RetryDecision.Never;

    /// <summary>Where a failed resource stands for a GitOps tool (<see cref="ReconcileErrorKind.Progress"/>); a success is settled.</summary>
    public ReconcileProgress Progress { get; init; }

    public bool IsSuccess => Outcome is not (ResourceOutcome.Failed or ResourceOutcome.Skipped);

    /// <summary>The platform had been changed by hand: reported (Report) or reverted (Correct).</summary>
    public bool IsDrift => Reason is ConditionReasons.DriftDetected or ConditionReasons.DriftCorrected;
}

/// <summary>What happened to the platform object of a deleted resource.</summary>
public enum ReleaseOutcome
{
    /// <summary>Deleted now, or already gone.</summary>
    Deleted,

    /// <summary>Left in place without Reconciler's ownership labels, so no later prune takes it for Reconciler's.</summary>
    Orphaned,

    /// <summary>Never created, already gone, or not Reconciler's: nothing to do.</summary>
    NothingToDo,

    Failed,
}

/// <summary>The outcome of releasing a deleted resource's platform object; <see cref="Retryable"/> when a later attempt can help.</summary>
public sealed record ResourceReleaseResult(ReleaseOutcome Outcome, PlatformObject? Object, string? Message, bool Retryable);

/// <summary>
/// Reconciles ONE resource against a (cached) observation: the operator's per-resource loop. Uses the same planner and
/// executor as the CLI; the client passed in is expected to keep the observation current from its own write results.
/// </summary>
public static class ResourceSync
{
    public static async Task<ResourceReconcileResult> ReconcileAsync(Resource resource, ObservedState observed, IPlatformClient client, ReconcileOneOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(options);
        var (knownIds, unresolved) = ResolveSiblings(resource, observed, options.Siblings);
        if (unresolved is not null)
            return Failed(resource, ReconcileErrorKind.ReferenceNotFound, unresolved);

        var plan = Planner.PlanOne(resource, observed, options.Secrets, knownIds, options.Guards, options.At, options.FieldOwners);
        if (plan.Errors.FirstOrDefault() is { } error)
        {
            return Failed(resource, ReconcileErrorKind.Of(error.Reason), error.Message);
        }

        if (plan.Changes.Count == 0)
            return new(resource.Id, ResourceOutcome.Unchanged, plan.Unchanged[0].ObjectId, [], null, ConditionReasons.ReconcileSuccess, null, RetryDecision.Never);

        var change = plan.Changes[0];
        var isDrift = change.Action == ChangeAction.Update && options.SyncedObjectId is not null && options.SyncedObjectId == change.ObjectId;
        if (isDrift)
        {
            plan = await ReconcileEngine.AttributeDriftAsync(client, plan, cancellationToken);
            change = plan.Changes[0];
            if (options.DriftPolicy == DriftPolicy.Report)
                return new(resource.Id, ResourceOutcome.Unchanged, change.ObjectId, change.Fields, change.Drift, ConditionReasons.DriftDetected, "drift reported, not corrected (driftPolicy: Report)", RetryDecision.Never);
        }

        // Only a write can be refused: drift that is reported, not corrected, is shown as drift.
        if (plan.GuardRefusals.ToList() is { Count: > 0 } refused)
        {
            var message = string.Join("; ", refused.Select(g => $"guard {g.Guard}: {g.Message}; to allow it: {g.Override}"));
            return new(resource.Id, ResourceOutcome.Failed, null, plan.Changes.SelectMany(c => c.Fields).ToList(), null, ReconcileErrorKind.GuardRefused.ConditionReason, message, ReconcileErrorKind.GuardRefused.Retry) { Progress = ReconcileErrorKind.GuardRefused.Progress };
        }

        var applied = await PlanExecutor.ApplyAsync(
            plan,
            client,
            new ApplyOptions { Secrets = options.Secrets, PendingCreates = options.PendingCreates, Reasons = options.Reasons, Parallelism = 1 },
            null,
            cancellationToken);
        var result = applied.Results.Single(r => r.Address == resource.Id);
        if (result.Outcome is ResourceOutcome.Failed or ResourceOutcome.Skipped)
        {
            var kind = ReconcileErrorKind.PlatformWrite(result.Outcome == ResourceOutcome.Skipped ? null : result.Cause);
            return new(resource.Id, result.Outcome, result.ObjectId, change.Fields, null, kind.ConditionReason, result.Message ?? result.Outcome.ToString(), kind.Retry) { Progress = kind.Progress };
        }

        var succeeded = isDrift ? ConditionReasons.DriftCorrected : ConditionReasons.ReconcileSuccess;
        return new(resource.Id, result.Outcome, result.ObjectId, change.Fields, change.Drift, succeeded, null, RetryDecision.Never);
    }

    private static ResourceReconcileResult Failed(Resource resource, ReconcileErrorKind kind, string message) =>
        new(resource.Id, ResourceOutcome.Failed, null, [], null, kind.ConditionReason, message, kind.Retry) { Progress = kind.Progress };

    /// <summary>
    /// Releases the platform object of a deleted resource: deletes it (<see cref="DeletionPolicy.Delete"/>) or drops
    /// Reconciler's ownership labels from it (Orphan; always for the organisation, which cannot be deleted). One write,
    /// with If-Match; an object that is already gone counts as done, one Reconciler does not own is left alone.
    /// <paramref name="objectId"/> is the id the resource's status recorded; without it the ownership label finds the object.
    /// </summary>
    public static async Task<ResourceReleaseResult> ReleaseAsync(ResourceId address, string? objectId, DeletionPolicy policy, ObservedState observed, IPlatformClient client, ChangeReason reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(client);
        var controller = KindMappers.ForKind(address.Kind);
        var target = controller.IsSingleton ? observed.Organization : Find(observed, controller.Collection, objectId, address);
        if (target is null && objectId is not null && !controller.IsSingleton)
        {
            // Not in the observation: created since it was taken, or already gone. Ask.
            var fresh = await client.GetAsync(controller.Collection, objectId, cancellationToken);
            if (fresh.Outcome == PlatformOutcome.NotFound)
                return new(ReleaseOutcome.NothingToDo, null, "already gone from the platform", false);
            if (!fresh.IsOk)
                return new(ReleaseOutcome.Failed, null, $"{fresh.Outcome}: {fresh.Message}", true);
            target = fresh.Value;
        }

        if (target is null || !Ownership.IsMarked(target.Labels))
            return new(ReleaseOutcome.NothingToDo, target, target is null ? "never created on the platform" : "not marked as Reconciler's; left in place", false);

        if (policy == DeletionPolicy.Delete && !controller.IsSingleton)
        {
            var deleted = await client.DeleteAsync(controller.Collection, target.Id, target.Version, reason, cancellationToken);
            if (deleted.IsOk || deleted.Outcome == PlatformOutcome.NotFound)
                return new(ReleaseOutcome.Deleted, target, null, false);
            return await FailedAsync(target, deleted);
        }

        var body = (JsonObject)target.Fields.DeepClone();
        body["labels"] = new JsonObject([.. target.Labels
            .Where(l => !l.Key.StartsWith(Ownership.Prefix, StringComparison.Ordinal))
            .Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))]);
        var unmarked = controller.IsSingleton
            ? await client.ReplaceOrganizationAsync(target.Version, body, reason, cancellationToken)
            : await client.ReplaceAsync(controller.Collection, target.Id, target.Version, body, reason, cancellationToken);
        if (unmarked.IsOk)
            return new(ReleaseOutcome.Orphaned, unmarked.Value, null, false);
        if (unmarked.Outcome == PlatformOutcome.NotFound)
            return new(ReleaseOutcome.NothingToDo, null, "already gone from the platform", false);
        return await FailedAsync(target, unmarked);

        async Task<ResourceReleaseResult> FailedAsync<T>(PlatformObject current, PlatformResult<T> failed)
        {
            // Someone changed it since it was observed: re-read it (the caching client keeps the fresh version) and retry.
            if (failed.Outcome == PlatformOutcome.PreconditionFailed && !controller.IsSingleton)
                await client.GetAsync(controller.Collection, current.Id, cancellationToken);
            return new(ReleaseOutcome.Failed, current, $"{failed.Outcome}: {failed.Message}", failed.Outcome != PlatformOutcome.Invalid);
        }
    }

    /// <summary>
    /// Platform ids of the declared siblings this resource references. The ownership label on the observed object is
    /// authoritative as soon as the sibling's write returned; its status id is the fallback.
    /// </summary>
    private static (Dictionary<ResourceId, string> Known, string? Unresolved) ResolveSiblings(Resource desired, ObservedState observed, IReadOnlyDictionary<ResourceId, DeclaredSibling> siblings)
    {
        var known = new Dictionary<ResourceId, string>();
        foreach (var reference in KindMappers.For(desired).References(desired))
        {
            if (!siblings.TryGetValue(reference.Target, out var sibling))
                continue;
            var collection = KindMappers.ForKind(reference.Target.Kind).Collection;
            var id = Find(observed, collection, null, reference.Target)?.Id ?? sibling.StatusId;
            if (id is null || sibling.IsBeingDeleted || !Contains(observed, id))
                return (known, $"{reference.Field}: {reference.Target.Kind} '{reference.Target.Name}' has no platform object yet");
            known[reference.Target] = id;
        }

        return (known, null);
    }

    /// <summary>By id when known, else the object whose ownership label names <paramref name="owner"/>.</summary>
    private static PlatformObject? Find(ObservedState observed, string collection, string? id, ResourceId owner) =>
        id is not null ? observed.View.FindById(collection, id) : observed.View.FindManaged(collection, owner);

    private static bool Contains(ObservedState observed, string id) => observed.View.Contains(id);
}
