using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Reconciler.Core.Engine;
using Reconciler.Core.Engine.Controllers;
using Reconciler.Core.Manifests;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Status;
using Reconciler.Core.Validation;
using Reconciler.Core.Validation.Rules;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Events;
using Reconciler.Kubernetes.Runtime;
using Reconciler.Operator.Connections;
using Reconciler.Operator.Kinds;
using Reconciler.Operator.Metrics;

namespace Reconciler.Operator.Controllers;

/// <summary>What every resource reconciler of an operator shares.</summary>
public sealed record ReconcilerContext(
    IKubernetesClient Client,
    IReadOnlyDictionary<string, ResourceCache<CustomResource>> Caches,
    PlatformConnections Connections,
    StatusWriter Status,
    IEventRecorder Events,
    OperatorMetrics Metrics,
    IPendingCreateStore PendingCreates,
    Action<string> ReferenceBecameReady,
    ILogger Logger);

/// <summary>
/// Reconciles one resource of any platform kind against its namespace's cached platform objects, through the
/// engine: validate, resolve references and secrets, plan this one resource, apply only its change. The same class
/// serves every kind; <see cref="ResourceKindInfo"/> is all that differs.
/// </summary>
public sealed partial class ResourceReconciler(ResourceKindInfo kind, ReconcilerContext context) : IReconciler
{
    private static readonly TimeSpan WaitDelay = TimeSpan.FromSeconds(10);

    /// <summary>Rules that judge one resource within its namespace; references are judged by the planner, as ReferenceNotFound.</summary>
    private static readonly IReadOnlyList<IValidationRule> Rules = [.. ManifestValidator.Rules.Where(r => r is not ReferenceRule)];

    private readonly ResourceType type = OperatorKinds.TypeOf(kind);
    private readonly IKindController controller = KindControllers.ForKind(kind.Kind);
    private readonly ConcurrentDictionary<ObjectKey, string> handledResyncRequests = new();

    public string Kind => kind.Kind;

    private TimeProvider Time => context.Status.Time;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var resource = context.Caches[Kind].Get(key.Namespace, key.Name);
        if (resource is null)
        {
            context.Metrics.SetDrifted(Kind, key.ToString(), false);
            handledResyncRequests.TryRemove(key, out _);
            return ReconcileResult.Success();
        }

        var status = StatusWriter.Read(resource);
        var connection = context.Connections.Get(key.Namespace);
        if (resource.IsBeingDeleted())
            return await FinalizeAsync(resource, status, connection, cancellationToken);

        resource = await context.Client.AddFinalizerAsync(type, resource, OperatorKinds.Finalizer, cancellationToken);
        var generation = resource.Metadata.Generation;
        if (OperatorKinds.IsPaused(resource))
            return await FailAsync(resource, status, ConditionReasons.Paused, $"paused by the {OperatorKinds.PausedAnnotation} annotation", ReconcileResult.Success(), cancellationToken);

        var (desired, invalid) = Load(resource);
        if (invalid is not null)
        {
            await EventAsync(resource, EventType.Warning, ConditionReasons.ValidationFailed, invalid, cancellationToken);
            return await FailAsync(resource, status, ConditionReasons.ValidationFailed, invalid, ReconcileResult.Terminal(ConditionReasons.ValidationFailed), cancellationToken);
        }

        if (connection is not { IsReady: true })
        {
            var why = connection?.NotReadyMessage ?? $"namespace {key.Namespace} has no ready PlatformConnection";
            return await FailAsync(resource, status, ConditionReasons.PlatformUnavailable, why, ReconcileResult.Wait(ConditionReasons.PlatformUnavailable, WaitDelay), cancellationToken);
        }

        var (knownIds, unresolved) = ResolveSiblings(desired!, key.Namespace!, connection);
        if (unresolved is not null)
        {
            await EventAsync(resource, EventType.Warning, ConditionReasons.ReferenceNotFound, unresolved, cancellationToken);
            return await FailAsync(resource, status, ConditionReasons.ReferenceNotFound, unresolved, ReconcileResult.Wait(ConditionReasons.ReferenceNotFound, WaitDelay), cancellationToken);
        }

        if (OperatorKinds.ResyncRequest(resource) is { } request && handledResyncRequests.GetValueOrDefault(key) != request)
        {
            var refreshed = await RefreshAsync(connection, status.Id, cancellationToken);
            if (!refreshed.IsOk)
                return await FailAsync(resource, status, ConditionReasons.PlatformUnavailable, refreshed.Message ?? "", ReconcileResult.Retry(ConditionReasons.PlatformUnavailable), cancellationToken);
            handledResyncRequests[key] = request;
        }

        var secrets = await SecretValues.ResolveAsync([desired!], connection.Secrets, cancellationToken);
        var observed = connection.Cache.Snapshot();
        var plan = Planner.PlanOne(desired!, observed, secrets, knownIds);
        if (plan.Errors.FirstOrDefault() is { } error)
            return await PlanFailedAsync(resource, status, error, cancellationToken);

        if (plan.Changes.FirstOrDefault() is not { } change)
        {
            var next = Synced(status, generation, plan.Unchanged[0].ObjectId, drift: null);
            context.Metrics.SetDrifted(Kind, key.ToString(), false);
            await WriteAsync(resource, status, next, cancellationToken);
            return ReconcileResult.Success(connection.ResyncInterval);
        }

        // A difference on an object already synced at this generation was made on the platform, not in the spec.
        var isDrift = change.Action == ChangeAction.Update && status.ObservedGeneration == generation && status.Id == change.ObjectId
            && Conditions.IsTrue(status.Conditions, ConditionTypes.Synced);
        if (isDrift)
        {
            plan = await connection.Engine.AttributeDriftAsync(plan, cancellationToken);
            change = plan.Changes[0];
            if (connection.DriftPolicy == DriftPolicy.Report)
                return await ReportDriftAsync(resource, status, change, connection, cancellationToken);
        }

        var reason = Reason(resource);
        var run = new PlannedRun(plan, secrets, observed);
        var applied = await connection.Engine.ApplyAsync(run, context.PendingCreates, _ => reason, parallelism: 1, progress: null, cancellationToken);
        var result = applied.Results.First(r => r.Address == desired!.Id);
        if (result.Outcome is ResourceOutcome.Failed or ResourceOutcome.Skipped)
        {
            var message = result.Message ?? result.Outcome.ToString();
            await EventAsync(resource, EventType.Warning, "ReconcileFailed", message, cancellationToken);
            return await FailAsync(resource, status, ConditionReasons.ReconcileError, message, ReconcileResult.Retry(ConditionReasons.ReconcileError), cancellationToken);
        }

        var fields = string.Join(", ", change.Fields.Select(f => f.Path));
        if (isDrift)
            await EventAsync(resource, EventType.Normal, ConditionReasons.DriftCorrected, $"reverted {fields} on the platform{By(change.Drift)}", cancellationToken);
        else if (result.Outcome != ResourceOutcome.Unchanged)
            await EventAsync(resource, EventType.Normal, result.Outcome.ToString(), Describe(result.Outcome, change, fields), cancellationToken);

        context.Metrics.SetDrifted(Kind, key.ToString(), false);
        var synced = Synced(status, generation, result.ObjectId, drift: isDrift ? ConditionReasons.DriftCorrected : null) with { LastSyncedAt = Time.GetUtcNow() };
        await WriteAsync(resource, status, synced, cancellationToken);
        if (status.Id is null)
            context.ReferenceBecameReady(key.Namespace!);
        return ReconcileResult.Success(connection.ResyncInterval);
    }

    private async Task<ReconcileResult> FinalizeAsync(CustomResource resource, ResourceStatus status, PlatformConnectionState? connection, CancellationToken cancellationToken)
    {
        if (!resource.HasFinalizer(OperatorKinds.Finalizer))
            return ReconcileResult.Success();

        var key = ObjectKey.From(resource);
        var policy = resource.Spec?["deletionPolicy"]?.GetValue<string>() ?? nameof(DeletionPolicy.Delete);
        if (policy == nameof(DeletionPolicy.Delete) && !controller.IsSingleton)
        {
            if (connection is not { IsReady: true })
                return await FailAsync(resource, status, ConditionReasons.PlatformUnavailable, "waiting for the PlatformConnection to delete the platform object", ReconcileResult.Wait(ConditionReasons.PlatformUnavailable, WaitDelay), cancellationToken);
            var deleted = await DeletePlatformObjectAsync(resource, status, connection, cancellationToken);
            if (deleted is not null)
            {
                await EventAsync(resource, EventType.Warning, "ReconcileFailed", deleted, cancellationToken);
                return await FailAsync(resource, status, ConditionReasons.ReconcileError, deleted, ReconcileResult.Retry(ConditionReasons.ReconcileError), cancellationToken);
            }
        }
        else
        {
            await EventAsync(resource, EventType.Normal, "Orphaned", "the platform object is left in place (deletionPolicy Orphan)", cancellationToken);
        }

        await context.Client.RemoveFinalizerAsync(type, resource, OperatorKinds.Finalizer, cancellationToken);
        context.Metrics.SetDrifted(Kind, key.ToString(), false);
        handledResyncRequests.TryRemove(key, out _);
        return ReconcileResult.Success();
    }

    /// <summary>Deletes the object this resource owns; null when it is gone (or was never created), else why not.</summary>
    private async Task<string?> DeletePlatformObjectAsync(CustomResource resource, ResourceStatus status, PlatformConnectionState connection, CancellationToken cancellationToken)
    {
        var target = status.Id is { } id ? connection.Cache.Find(controller.Collection, id) : null;
        if (target is null && status.Id is not null)
        {
            // Not in the cache: created since the last list pass, or already gone. Ask.
            var fresh = await connection.Client.GetAsync(controller.Collection, status.Id, cancellationToken);
            if (fresh.Outcome == PlatformOutcome.NotFound)
                return null;
            if (!fresh.IsOk)
                return fresh.Message ?? fresh.Outcome.ToString();
            target = fresh.Value;
        }

        if (target is null || !Ownership.IsMarked(target.Labels))
            return null;

        var deleted = await connection.Client.DeleteAsync(controller.Collection, target.Id, target.Version, Reason(resource), cancellationToken);
        if (deleted.IsOk || deleted.Outcome == PlatformOutcome.NotFound)
        {
            await EventAsync(resource, EventType.Normal, "Deleted", $"deleted {controller.Collection}/{target.Key} ({target.Id}) from the platform", cancellationToken);
            return null;
        }

        if (deleted.Outcome == PlatformOutcome.PreconditionFailed)
            await connection.Client.GetAsync(controller.Collection, target.Id, cancellationToken);
        return $"{deleted.Outcome}: {deleted.Message}";
    }

    private async Task<ReconcileResult> ReportDriftAsync(CustomResource resource, ResourceStatus status, PlannedChange change, PlatformConnectionState connection, CancellationToken cancellationToken)
    {
        var generation = resource.Metadata.Generation;
        var drifted = change.Fields.Select(f => new DriftedField { Field = f.Path, ChangedBy = change.Drift?.Actor, ChangedAt = change.Drift?.At }).ToList();
        var message = $"the platform differs in {string.Join(", ", drifted.Select(d => d.Field))}{By(change.Drift)}; driftPolicy Report leaves it";
        var next = status.Id is null ? status with { Id = change.ObjectId } : status;
        next = context.Status.SetCondition(next, ConditionTypes.Drifted, true, ConditionReasons.DriftDetected, message, generation);
        next = next with { DriftedFields = drifted };
        context.Metrics.SetDrifted(Kind, ObjectKey.From(resource).ToString(), true);
        if (await WriteAsync(resource, status, next, cancellationToken))
            await EventAsync(resource, EventType.Warning, ConditionReasons.DriftDetected, message, cancellationToken);
        return ReconcileResult.Success(connection.ResyncInterval);
    }

    private async Task<ReconcileResult> PlanFailedAsync(CustomResource resource, ResourceStatus status, PlanError error, CancellationToken cancellationToken)
    {
        var (reason, result) = error.Reason switch
        {
            "ReferenceNotFound" => (ConditionReasons.ReferenceNotFound, ReconcileResult.Wait(ConditionReasons.ReferenceNotFound, WaitDelay)),
            "SecretNotFound" => ("SecretNotFound", ReconcileResult.Wait("SecretNotFound", WaitDelay)),
            "BuiltInRole" => (ConditionReasons.ValidationFailed, ReconcileResult.Terminal(ConditionReasons.ValidationFailed)),
            _ => (ConditionReasons.ReconcileError, ReconcileResult.Retry(ConditionReasons.ReconcileError)),
        };
        await EventAsync(resource, EventType.Warning, reason, error.Message, cancellationToken);
        return await FailAsync(resource, status, reason, error.Message, result, cancellationToken);
    }

    private ResourceStatus Synced(ResourceStatus status, long? generation, string? id, string? drift)
    {
        var next = context.Status.SetCondition(status, ConditionTypes.Ready, true, ConditionReasons.ReconcileSuccess, "the platform object exists", generation);
        next = context.Status.SetCondition(next, ConditionTypes.Synced, true, ConditionReasons.ReconcileSuccess, "", generation);
        next = context.Status.SetCondition(next, ConditionTypes.Drifted, false, drift ?? ConditionReasons.NoDrift, "", generation);
        var firstSync = status.ObservedGeneration != generation || status.LastSyncedAt is null;
        return next with
        {
            Id = id,
            ObservedGeneration = generation,
            DriftedFields = null,
            LastSyncedAt = firstSync ? Time.GetUtcNow() : status.LastSyncedAt,
        };
    }

    private async Task<ReconcileResult> FailAsync(CustomResource resource, ResourceStatus status, string reason, string message, ReconcileResult result, CancellationToken cancellationToken)
    {
        var generation = resource.Metadata.Generation;
        var next = context.Status.SetCondition(status, ConditionTypes.Synced, false, reason, message, generation);
        if (status.Id is null)
            next = context.Status.SetCondition(next, ConditionTypes.Ready, false, reason, message, generation);
        await WriteAsync(resource, status, next with { ObservedGeneration = generation }, cancellationToken);
        return result;
    }

    private Task<bool> WriteAsync(CustomResource resource, ResourceStatus before, ResourceStatus after, CancellationToken cancellationToken) =>
        before == after ? Task.FromResult(false) : context.Status.WriteAsync(type, resource, after, cancellationToken);

    /// <summary>
    /// The typed resource, or the first error of the structural and semantic rules that concern it. The rules run
    /// over the whole namespace (as over a folder in the CLI), so that e.g. a duplicate agent e-mail is caught.
    /// </summary>
    private (Resource? Resource, string? Error) Load(CustomResource resource)
    {
        var ns = resource.Metadata.Namespace;
        var file = OperatorKinds.FileOf(Kind, ns, resource.Metadata.Name!);
        var sources = new List<ManifestSource> { OperatorKinds.ToManifest(Kind, resource) };
        foreach (var (otherKind, cache) in context.Caches)
        {
            foreach (var other in ns is null ? [] : cache.List(ns))
            {
                if (!(otherKind == Kind && other.Metadata.Name == resource.Metadata.Name) && !other.IsBeingDeleted())
                    sources.Add(OperatorKinds.ToManifest(otherKind, other));
            }
        }

        var set = ManifestLoader.LoadSources(sources);
        var validation = new ValidationContext(set);
        var error = set.Diagnostics.Concat(Rules.SelectMany(r => r.Check(validation)))
            .FirstOrDefault(d => d.IsError && d.File == file);
        if (error is not null)
            return (null, $"{error.Path}: {error.Message}");
        return (set.Resources.First(r => r.Kind == Kind && r.Metadata.Name == resource.Metadata.Name), null);
    }

    /// <summary>
    /// Platform ids of the referenced resources of the namespace, from their status; a referenced resource that exists
    /// but has no platform object yet makes this one wait. Names no resource declares are left to the planner (built-in
    /// roles, objects made by hand).
    /// </summary>
    private (Dictionary<ResourceId, string> Known, string? Unresolved) ResolveSiblings(Resource desired, string ns, PlatformConnectionState connection)
    {
        var known = new Dictionary<ResourceId, string>();
        foreach (var reference in controller.References(desired))
        {
            if (!context.Caches.TryGetValue(reference.Target.Kind, out var cache) || cache.Get(ns, reference.Target.Name) is not { } sibling)
                continue;
            // The sibling's own status may lag its platform write; the ownership label on the cached object does not.
            var id = connection.Cache.FindBySource(KindControllers.ForKind(reference.Target.Kind).Collection, Ownership.SourceValue(reference.Target))?.Id
                ?? StatusWriter.Read(sibling).Id;
            if (id is null || !connection.Cache.Contains(id) || sibling.IsBeingDeleted())
                return (known, $"{reference.Field}: {reference.Target.Kind} '{reference.Target.Name}' has no platform object yet");
            known[reference.Target] = id;
        }

        return (known, null);
    }

    /// <summary>Re-reads this resource's platform object (or its whole collection when its id is unknown) into the cache.</summary>
    private async Task<PlatformResult<bool>> RefreshAsync(PlatformConnectionState connection, string? id, CancellationToken cancellationToken)
    {
        if (controller.IsSingleton)
            return Map(await connection.Client.GetOrganizationAsync(cancellationToken));
        if (id is not null)
        {
            var one = await connection.Client.GetAsync(controller.Collection, id, cancellationToken);
            return one.Outcome == PlatformOutcome.NotFound ? PlatformResult<bool>.Ok(true) : Map(one);
        }

        var all = await connection.Client.ListAsync(controller.Collection, cancellationToken);
        if (all.IsOk)
        {
            foreach (var o in all.Value!)
                connection.Cache.Upsert(controller.Collection, o);
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

    private static string Describe(ResourceOutcome outcome, PlannedChange change, string fields) => outcome switch
    {
        ResourceOutcome.Created => $"created {change.Collection}/{change.Key} on the platform",
        ResourceOutcome.Adopted => $"adopted the existing {change.Collection}/{change.Key}{(fields.Length > 0 ? "; set " + fields : "")}",
        _ => $"updated {fields} of {change.Collection}/{change.Key}",
    };
}
