using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Status;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Events;
using Reconciler.Kubernetes.Runtime;
using Reconciler.Operator.Connections;
using Reconciler.Operator.Kinds;
using Reconciler.Operator.Metrics;

namespace Reconciler.Operator.Controllers;

/// <summary>What every resource controller of an operator shares; <c>ConnectionObjects</c> are the PlatformConnection objects themselves (a namespace's connection state says only whether it is ready).</summary>
public sealed record ReconcilerContext(
    IKubernetesClient Client,
    IReadOnlyDictionary<string, ResourceCache<CustomResource>> Caches,
    NamespaceValidation Validation,
    PlatformConnections Connections,
    StatusWriter Status,
    IEventRecorder Events,
    OperatorMetrics Metrics,
    IPendingCreateStore PendingCreates,
    ReferenceWaiters References,
    ResourceCache<CustomResource> ConnectionObjects,
    ILogger Logger);

/// <summary>
/// The Kubernetes side of reconciling one resource of any platform kind: finalizer, pause and resync annotations,
/// validation, conditions, events and metrics. What to do on the platform is the engine's
/// <see cref="ResourceSync"/>, against the namespace's cached platform objects. The same class serves every
/// kind; <see cref="ResourceKindInfo"/> is all that differs.
/// </summary>
public sealed class ResourceController(ResourceKindInfo kind, ReconcilerContext context) : IReconciler
{
    private static readonly TimeSpan WaitDelay = TimeSpan.FromSeconds(10);

    // A missing reference is watched for (its resource's first sync, a create in the audit feed); this is the fallback.
    private static readonly TimeSpan ReferenceRecheck = TimeSpan.FromMinutes(5);

    // client-go's retry.DefaultRetry makes five attempts; each here starts from a fresh read, so none waits.
    private const int FinalizerPatchAttempts = 5;

    private readonly ResourceType _type = OperatorKinds.TypeOf(kind);
    private readonly IKindMapper _controller = KindMappers.ForKind(kind.Kind);
    private readonly ConcurrentDictionary<ObjectKey, string> _handledResyncRequests = new();

    public string Kind => kind.Kind;

    private TimeProvider Time => context.Status.Time;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var cached = context.Caches[Kind].Get(key.Namespace, key.Name);
        var resource = cached is null ? null : context.Status.Recent.Freshest(cached);
        if (resource is null)
        {
            context.Metrics.ForgetStatus(Kind, key);
            _handledResyncRequests.TryRemove(key, out _);
            return ReconcileResult.Success();
        }

        var status = StatusWriter.Read(resource, kind.StatusType);
        var connection = context.Connections.Get(key.Namespace);
        if (resource.IsBeingDeleted())
            return await FinalizeAsync(resource, status, connection, cancellationToken);

        // Paused on purpose, often in an incident: neither stuck nor working (Crossplane's ReconcilePaused), so a GitOps
        // tool's health check does not fail on it; Synced=False says it is not being reconciled.
        if (OperatorKinds.IsPaused(resource))
            return await FailAsync(resource, status, ReconcileProgress.Settled, ConditionReasons.Paused, $"paused by the {OperatorKinds.PausedAnnotation} annotation; remove it to reconcile", ReconcileResult.Success(), cancellationToken);

        var (desired, invalid) = context.Validation.Load(Kind, resource);
        if (invalid is not null)
        {
            if (await WriteFailureAsync(resource, status, ReconcileProgress.Stalled, ConditionReasons.ValidationFailed, invalid, cancellationToken))
                await EventAsync(resource, EventType.Warning, ConditionReasons.ValidationFailed, invalid, cancellationToken);
            return ReconcileResult.Terminal(ConditionReasons.ValidationFailed);
        }

        if (connection is not { IsReady: true })
        {
            var why = connection?.NotReadyMessage ?? $"namespace {key.Namespace} has no ready PlatformConnection";
            return await FailAsync(resource, status, ReconcileProgress.Reconciling, ConditionReasons.PlatformUnavailable, why, ReconcileResult.Wait(ConditionReasons.PlatformUnavailable, WaitDelay), cancellationToken);
        }

        // Only a resource about to be written to the platform needs its deletion held: one paused, invalid or without a
        // connection has nothing there to release, and a finalizer on it would hold it (and its namespace) for nothing.
        resource = await AddFinalizerAsync(resource, cancellationToken);
        if (OperatorKinds.ResyncRequest(resource) is { } request && _handledResyncRequests.GetValueOrDefault(key) != request)
        {
            var refreshed = await RefreshAsync(connection, status.Id, cancellationToken);
            if (!refreshed.IsOk)
                return await FailAsync(resource, status, ReconcileProgress.Reconciling, ConditionReasons.PlatformUnavailable, refreshed.Message ?? "", ReconcileResult.Retry(ConditionReasons.PlatformUnavailable), cancellationToken);
            _handledResyncRequests[key] = request;
        }

        var generation = resource.Metadata.Generation;
        var now = Time.GetUtcNow();
        var seenAnyWake = context.References.Wakes(key.Namespace!);
        var seenWakes = new Dictionary<ResourceId, long>();
        var options = new ReconcileOneOptions
        {
            At = now,
            FieldOwners = connection.FieldOwners,
            Secrets = await SecretValues.ResolveAsync([desired!], connection.Secrets, cancellationToken),
            Siblings = Siblings(desired!, key.Namespace!, seenWakes),
            // A difference on the object already synced at this generation was made on the platform, not in the spec,
            // unless a dated change came due: that difference is the spec's own, applied whatever the drift policy.
            SyncedObjectId = status.ObservedGeneration == generation && Conditions.IsTrue(status.Conditions, ConditionTypes.Synced) && !DatedReconcile.IsDue(Kind, status, now) ? status.Id : null,
            DriftPolicy = connection.DriftPolicy,
            Guards = connection.Guards,
            PendingCreates = context.PendingCreates,
            Reasons = _ => Reason(resource),
        };
        var result = await ResourceSync.ReconcileAsync(desired!, connection.Cache.Snapshot(), connection.Client, options, cancellationToken);
        if (result.Reason == ConditionReasons.ReferenceNotFound && options.Siblings.Where(s => s.Value.StatusId is null && !s.Value.IsBeingDeleted).ToList() is { Count: > 0 } onTheirWay)
        {
            // A referenced resource is declared and on its way: nothing to report yet (an initial sync stays at one status
            // write per resource); its first sync requeues this one. A Stalled verdict left by an earlier failure (a spec
            // since fixed) is taken back, though: a GitOps tool waiting on this resource would fail on it (Flux fails fast on Stalled).
            context.References.WaitFor(Kind, key, onTheirWay.ToDictionary(s => s.Key, s => seenWakes[s.Key]));
            if (Conditions.IsTrue(status.Conditions, ConditionTypes.Stalled))
            {
                var waitingFor = string.Join(", ", onTheirWay.Select(s => $"{s.Key.Kind}/{s.Key.Name}"));
                await WriteFailureAsync(resource, status, ReconcileProgress.Reconciling, ConditionReasons.ReferenceNotFound, $"waiting for {waitingFor} to sync", cancellationToken);
            }

            return ReconcileResult.Success(ReferenceRecheck);
        }

        if (result.Reason == ConditionReasons.ReferenceNotFound)
            context.References.WaitForAny(Kind, key, seenAnyWake);

        if (!result.IsSuccess)
            return await FailedAsync(resource, status, result, cancellationToken);
        if (result.Reason == ConditionReasons.DriftDetected)
            return await ReportDriftAsync(resource, desired!, status, result, connection, options.Secrets, cancellationToken);

        var fields = string.Join(", ", result.Differences.Select(f => f.Path));
        if (result.IsDrift)
            await EventAsync(resource, EventType.Normal, ConditionReasons.DriftCorrected, $"reverted {fields} on the platform{By(result.Drift)}", cancellationToken);
        else if (result.Outcome != ResourceOutcome.Unchanged)
            await EventAsync(resource, EventType.Normal, result.Outcome.ToString(), Describe(result.Outcome, fields), cancellationToken);

        var written = result.Outcome != ResourceOutcome.Unchanged;
        var synced = Synced(status, generation, result.ObjectId, result.IsDrift ? ConditionReasons.DriftCorrected : null, written);
        var dated = DatedReconcile.Evaluate(desired!, status, connection.Cache.Snapshot(), now, written);
        foreach (var note in dated.Events)
            await EventAsync(resource, EventType.Normal, DatedReconcile.EventReason, note, cancellationToken);
        var observed = DatedReconcile.WithNext(Kind, kind.Description.WithObservedFacts(synced, connection.Cache.Find(_controller.Collection, result.ObjectId!), options.Secrets), dated.Next);
        await WriteAsync(resource, status, observed, cancellationToken);
        context.Metrics.SetStatus(key, desired!, observed);
        if (status.Id is null)
            context.References.Ready(key.Namespace!, desired!.Id);
        return ReconcileResult.Success(DatedReconcile.RequeueAfter(connection.ResyncInterval, dated.Next, now));
    }

    /// <summary>Adds the finalizer; returns the object as the server has it.</summary>
    private async Task<CustomResource> AddFinalizerAsync(CustomResource resource, CancellationToken cancellationToken) =>
        (await PatchFinalizerAsync(resource, remove: false, cancellationToken))!;

    /// <summary>
    /// Adds or removes the finalizer as client-go's RetryOnConflict does. A stale informer copy fails the patch with 409;
    /// the live object is read and the change made on it, because requeueing would start again from the same stale copy:
    /// every retry until the watch caught up would be one more rejected write, and for a removal one more release of the
    /// platform object (and another event saying so). A removal is done once the object is gone (404, or replaced by
    /// another of the same name): that is what removing the finalizer was for; it then returns null.
    /// </summary>
    private async Task<CustomResource?> PatchFinalizerAsync(CustomResource resource, bool remove, CancellationToken cancellationToken)
    {
        var name = resource.Metadata.Name!;
        var current = resource;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // An object being deleted is not recorded as written: its informer copy goes with it.
                if (remove)
                    return await context.Client.RemoveFinalizerAsync(_type, current, OperatorKinds.Finalizer, cancellationToken);
                return Wrote(current, await context.Client.AddFinalizerAsync(_type, current, OperatorKinds.Finalizer, cancellationToken));
            }
            catch (KubernetesApiException gone) when (remove && gone.IsNotFoundFor(_type, name))
            {
                return null;
            }
            catch (KubernetesApiException conflict) when (conflict.IsConflict && attempt < FinalizerPatchAttempts)
            {
                var live = await context.Client.TryGetAsync<CustomResource>(_type, resource.Metadata.Namespace, name, cancellationToken);
                var gone = live is null || live.Metadata.Uid != resource.Metadata.Uid;
                if (remove && gone)
                    return null;
                // No finalizer can be added to an object being deleted (the API server forbids it); its reconcile finalizes it.
                if (!remove && (gone || live!.IsBeingDeleted()))
                    throw;
                current = remove ? live! : Wrote(current, live!);
            }
        }

        CustomResource Wrote(CustomResource before, CustomResource after)
        {
            if (!ReferenceEquals(before, after))
                context.Status.Recent.Wrote(before, after);
            return after;
        }
    }

    private async Task<ReconcileResult> FinalizeAsync(CustomResource resource, ResourceStatus status, PlatformConnectionState? connection, CancellationToken cancellationToken)
    {
        if (!resource.HasFinalizer(OperatorKinds.Finalizer))
            return ReconcileResult.Success();

        var key = ObjectKey.From(resource);
        var policy = Enum.TryParse<DeletionPolicy>(resource.Spec?["deletionPolicy"]?.GetValue<string>(), out var parsed) ? parsed : DeletionPolicy.Delete;
        if (connection is not { IsReady: true } && HasConnection(key.Namespace!))
            return await FailAsync(resource, status, ReconcileProgress.Reconciling, ConditionReasons.PlatformUnavailable, "waiting for the PlatformConnection to release the platform object", ReconcileResult.Wait(ConditionReasons.PlatformUnavailable, WaitDelay), cancellationToken);
        if (connection is not { IsReady: true })
        {
            // No connection is left to release it through (deleting a namespace deletes its PlatformConnection with
            // everything else): waiting would hold the resource and its namespace for ever, so the object is left as it is.
            var left = status.Id is null ? "any platform object it made was" : $"the platform object {status.Id} was";
            await EventAsync(resource, EventType.Warning, "Orphaned", $"the namespace has no PlatformConnection, so {left} left on the platform as it is, not released (deletionPolicy {policy})", cancellationToken);
            return await ReleasedAsync(resource, key, cancellationToken);
        }

        var address = new ResourceId(Kind, resource.Metadata.Name!);
        var released = await ResourceSync.ReleaseAsync(address, status.Id, policy, connection.Cache.Snapshot(), connection.Client, Reason(resource), cancellationToken);
        switch (released.Outcome)
        {
            case ReleaseOutcome.Failed:
                await EventAsync(resource, EventType.Warning, "ReconcileFailed", released.Message!, cancellationToken);
                var retry = ReconcileResult.After(released.Retryable ? RetryDecision.Backoff : RetryDecision.Never, ConditionReasons.ReconcileError, WaitDelay);
                var progress = released.Retryable ? ReconcileProgress.Reconciling : ReconcileProgress.Stalled;
                return await FailAsync(resource, status, progress, ConditionReasons.ReconcileError, released.Message!, retry, cancellationToken);
            case ReleaseOutcome.Deleted:
                await EventAsync(resource, EventType.Normal, "Deleted", $"deleted {_controller.Collection}/{released.Object!.Key} ({released.Object.Id}) from the platform", cancellationToken);
                break;
            case ReleaseOutcome.Orphaned:
                await EventAsync(resource, EventType.Normal, "Orphaned", $"left {_controller.Collection}/{released.Object!.Key} ({released.Object.Id}) in place without Reconciler's labels (deletionPolicy {policy})", cancellationToken);
                break;
        }

        return await ReleasedAsync(resource, key, cancellationToken);
    }

    private async Task<ReconcileResult> ReleasedAsync(CustomResource resource, ObjectKey key, CancellationToken cancellationToken)
    {
        await PatchFinalizerAsync(resource, remove: true, cancellationToken);
        context.Metrics.ForgetStatus(Kind, key);
        _handledResyncRequests.TryRemove(key, out _);
        return ReconcileResult.Success();
    }

    private bool HasConnection(string @namespace) => context.ConnectionObjects.List(@namespace).Any(c => !c.IsBeingDeleted());

    private async Task<ReconcileResult> ReportDriftAsync(CustomResource resource, Resource desired, ResourceStatus status, ResourceReconcileResult result, PlatformConnectionState connection, SecretValues secrets, CancellationToken cancellationToken)
    {
        var generation = resource.Metadata.Generation;
        var drifted = result.Differences.Select(f => new DriftedField { Field = f.Path, ChangedBy = result.Drift?.Actor, ChangedAt = result.Drift?.At }).ToList();
        var message = $"the platform differs in {string.Join(", ", drifted.Select(d => d.Field))}{By(result.Drift)}; driftPolicy Report leaves it";
        var next = context.Status.SetCondition(status, ConditionTypes.Drifted, true, ConditionReasons.DriftDetected, message, generation);
        next = kind.Description.WithObservedFacts(next with { DriftedFields = drifted }, connection.Cache.Find(_controller.Collection, result.ObjectId!), secrets);
        context.Metrics.SetStatus(ObjectKey.From(resource), desired, next);
        if (await WriteAsync(resource, status, next, cancellationToken))
            await EventAsync(resource, EventType.Warning, ConditionReasons.DriftDetected, message, cancellationToken);
        return ReconcileResult.Success(connection.ResyncInterval);
    }

    private async Task<ReconcileResult> FailedAsync(CustomResource resource, ResourceStatus status, ResourceReconcileResult result, CancellationToken cancellationToken)
    {
        var message = result.Message ?? result.Reason;
        var next = ReconcileResult.After(result.Retry, result.Reason, result.Reason == ConditionReasons.ReferenceNotFound ? ReferenceRecheck : WaitDelay);

        // One event per distinct failure: a retry that fails the same way finds the status unchanged and says nothing new.
        if (await WriteFailureAsync(resource, status, result.Progress, result.Reason, message, cancellationToken))
            await EventAsync(resource, EventType.Warning, result.Reason == ConditionReasons.ReconcileError ? "ReconcileFailed" : result.Reason, message, cancellationToken);
        return next;
    }

    /// <summary>Ready, Synced, not drifted, neither Reconciling nor Stalled; lastSyncedAt moves only when the platform was written or the spec is new.</summary>
    private ResourceStatus Synced(ResourceStatus status, long? generation, string? id, string? drift, bool written)
    {
        var next = context.Status.SetProgress(status, ReconcileProgress.Settled, ConditionReasons.ReconcileSuccess, "", generation);
        next = context.Status.SetCondition(next, ConditionTypes.Ready, true, ConditionReasons.ReconcileSuccess, "the platform object exists", generation);
        next = context.Status.SetCondition(next, ConditionTypes.Synced, true, ConditionReasons.ReconcileSuccess, "", generation);
        // An unchanged resync keeps the reason of the last drift verdict (DriftCorrected), rather than erasing it with NoDrift.
        var previous = status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Drifted && c.Status == "False")?.Reason;
        next = context.Status.SetCondition(next, ConditionTypes.Drifted, false, drift ?? previous ?? ConditionReasons.NoDrift, "", generation);
        var moved = written || status.ObservedGeneration != generation || status.LastSyncedAt is null;
        return next with
        {
            Id = id,
            ObservedGeneration = generation,
            DriftedFields = null,
            LastSyncedAt = moved ? Time.GetUtcNow() : status.LastSyncedAt,
        };
    }

    private async Task<ReconcileResult> FailAsync(CustomResource resource, ResourceStatus status, ReconcileProgress progress, string reason, string message, ReconcileResult result, CancellationToken cancellationToken)
    {
        await WriteFailureAsync(resource, status, progress, reason, message, cancellationToken);
        return result;
    }

    /// <summary>Synced=False (and Ready=False before the first sync), with Reconciling or Stalled saying whether time or a change heals it; true when that changed the status.</summary>
    private Task<bool> WriteFailureAsync(CustomResource resource, ResourceStatus status, ReconcileProgress progress, string reason, string message, CancellationToken cancellationToken)
    {
        var generation = resource.Metadata.Generation;
        var next = context.Status.SetProgress(status, progress, reason, message, generation);
        next = context.Status.SetCondition(next, ConditionTypes.Synced, false, reason, message, generation);
        if (status.Id is null)
            next = context.Status.SetCondition(next, ConditionTypes.Ready, false, reason, message, generation);
        return WriteAsync(resource, status, next with { ObservedGeneration = generation }, cancellationToken);
    }

    private Task<bool> WriteAsync(CustomResource resource, ResourceStatus before, ResourceStatus after, CancellationToken cancellationToken) =>
        before == after ? Task.FromResult(false) : context.Status.WriteAsync(_type, resource, after, cancellationToken);

    /// <summary>
    /// The resources of the namespace this one references, with their status ids, for the engine's reference resolution;
    /// each one's wake count is read first, so that a first sync completing after the read is not missed.
    /// </summary>
    private Dictionary<ResourceId, DeclaredSibling> Siblings(Resource desired, string ns, Dictionary<ResourceId, long> seenWakes)
    {
        var siblings = new Dictionary<ResourceId, DeclaredSibling>();
        foreach (var reference in _controller.References(desired))
        {
            seenWakes[reference.Target] = context.References.Wakes(ns, reference.Target);
            if (context.Caches.TryGetValue(reference.Target.Kind, out var cache) && cache.Get(ns, reference.Target.Name) is { } sibling)
                siblings[reference.Target] = new DeclaredSibling(StatusWriter.Read(sibling).Id, sibling.IsBeingDeleted());
        }

        return siblings;
    }

    /// <summary>Re-reads this resource's platform object (or its whole collection when its id is unknown) into the cache.</summary>
    private async Task<PlatformResult<bool>> RefreshAsync(PlatformConnectionState connection, string? id, CancellationToken cancellationToken)
    {
        if (_controller.IsSingleton)
            return Map(await connection.Client.GetOrganizationAsync(cancellationToken));
        if (id is not null)
        {
            var one = await connection.Client.GetAsync(_controller.Collection, id, cancellationToken);
            return one.Outcome == PlatformOutcome.NotFound ? PlatformResult<bool>.Ok(true) : Map(one);
        }

        var all = await connection.Client.ListAsync(_controller.Collection, cancellationToken);
        if (all.IsOk)
        {
            foreach (var o in all.Value!)
                connection.Cache.Upsert(_controller.Collection, o);
        }

        return Map(all);
    }

    private static PlatformResult<bool> Map<T>(PlatformResult<T> result) => result.IsOk ? PlatformResult<bool>.Ok(true) : result.As<bool>();

    private ChangeReason Reason(CustomResource resource) =>
        new($"{ChangeReasons.Prefix} k8s {resource.Metadata.Namespace}/{Kind}/{resource.Metadata.Name} uid={resource.Metadata.Uid} gen={resource.Metadata.Generation}", Guid.NewGuid().ToString("N"));

    private Task EventAsync(CustomResource resource, EventType eventType, string reason, string note, CancellationToken cancellationToken) =>
        context.Events.RecordAsync(WithKind(resource), eventType, reason, "Reconcile", note, cancellationToken);

    /// <summary>Objects from the informer may lack apiVersion/kind; events need them to point at the resource.</summary>
    private CustomResource WithKind(CustomResource resource) =>
        resource.Kind.Length > 0 ? resource : resource with { ApiVersion = Resource.GroupVersion, Kind = Kind };

    private static string By(DriftInfo? drift) => drift is null ? "" : $" (changed by {drift.Actor} at {drift.At:O})";

    private string Describe(ResourceOutcome outcome, string fields) => outcome switch
    {
        ResourceOutcome.Created => $"created the {_controller.Collection} object on the platform",
        ResourceOutcome.Adopted => $"adopted the existing {_controller.Collection} object{(fields.Length > 0 ? "; set " + fields : "")}",
        _ => $"updated {fields} of the {_controller.Collection} object",
    };
}
