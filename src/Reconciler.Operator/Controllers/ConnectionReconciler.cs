using Microsoft.Extensions.Logging;
using Reconciler.Core.Guards;
using Reconciler.Core.Manifests;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Status;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Models;
using Reconciler.Kubernetes.Runtime;
using Reconciler.Operator.Connections;
using Reconciler.Operator.Kinds;

namespace Reconciler.Operator.Controllers;

/// <summary>
/// Reconciles a namespace's PlatformConnection: resolves url and token, refreshes the platform cache with one list
/// pass per kind at every resync interval (the token works when the pass does), and then offers every resource of
/// the namespace for a drift check against the fresh cache.
/// </summary>
public sealed partial class ConnectionReconciler(
    ResourceCache<CustomResource> connections,
    ResourceCache<Secret> secrets,
    PlatformConnections registry,
    StatusWriter status,
    Action<string> refreshed,
    ILogger logger) : IReconciler
{
    private static readonly ResourceType Type = OperatorKinds.TypeOf("PlatformConnection");
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    public string Kind => "PlatformConnection";

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var ns = key.Namespace!;
        var resource = connections.Get(ns, key.Name);
        var active = connections.List(ns).Where(c => !c.IsBeingDeleted()).OrderBy(c => c.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();
        if (resource is null || resource.IsBeingDeleted())
        {
            if (active is null)
                registry.Disconnect(ns);
            return ReconcileResult.Success();
        }

        var generation = resource.Metadata.Generation;
        var current = StatusWriter.Read(resource);
        if (active?.Metadata.Name != key.Name)
            return await FailAsync(resource, current, "DuplicateConnection", $"namespace {ns} already uses PlatformConnection {active?.Metadata.Name}; only one is allowed", terminal: true, cancellationToken);

        var set = ManifestLoader.Assemble([OperatorKinds.Parse(Kind, resource)]);
        if (set.Diagnostics.FirstOrDefault(d => d.IsError) is { } invalid)
            return await FailAsync(resource, current, ConditionReasons.ValidationFailed, $"{invalid.Path}: {invalid.Message}", terminal: true, cancellationToken);
        var spec = set.OfType<PlatformConnection>().Single().Spec;
        if (!Uri.TryCreate(spec.Url, UriKind.Absolute, out var url))
            return await FailAsync(resource, current, ConditionReasons.ValidationFailed, "spec.url: the operator needs the platform's URL", terminal: true, cancellationToken);
        if (spec.TokenSecretRef is null)
            return await FailAsync(resource, current, ConditionReasons.ValidationFailed, "spec.tokenSecretRef: the operator needs a Secret holding the token", terminal: true, cancellationToken);
        var (allowed, unknownGuard) = PlanGuards.Parse([resource.Metadata.Annotations?.GetValueOrDefault(OperatorKinds.AllowGuardsAnnotation) ?? ""]);
        if (unknownGuard is not null)
            return await FailAsync(resource, current, ConditionReasons.ValidationFailed, $"metadata.annotations[{OperatorKinds.AllowGuardsAnnotation}]: '{unknownGuard}' is not a guard; guards are {string.Join(", ", PlanGuards.Names)}", terminal: true, cancellationToken);
        var (owners, ownerErrors) = Core.FieldOwnership.FieldOwners.Parse(spec.FieldOwners);
        if (ownerErrors.Count > 0)
            return await FailAsync(resource, current, ConditionReasons.ValidationFailed, $"spec.fieldOwners: {ownerErrors[0]}", terminal: true, cancellationToken);
        var token = KubernetesSecretResolver.Resolve(secrets, ns, spec.TokenSecretRef);
        if (token.Value is null)
            return await FailAsync(resource, current, "SecretNotFound", token.Error!, terminal: false, cancellationToken);

        var connection = registry.Connect(ns, key.Name, url, token.Value, spec.RequestsPerSecond ?? 0);
        connection.DriftPolicy = spec.DriftPolicy;
        connection.Guards = new GuardPolicy
        {
            MinAdmins = spec.MinAdmins,
            MaxRemovalFraction = spec.RemovalFraction(),
            Allowed = allowed,
            OverrideHint = $"annotate the PlatformConnection {key.Name} with {OperatorKinds.AllowGuardsAnnotation}: {{0}}",
        };
        connection.FieldOwners = owners;
        // Validated above: both are durations of at least their MinimumDuration.
        connection.ResyncInterval = GoDuration.TryParse(spec.ResyncInterval, out var interval) ? interval : TimeSpan.FromMinutes(10);
        connection.AuditPollInterval = GoDuration.TryParse(spec.AuditPollInterval, out var poll) ? poll : TimeSpan.FromSeconds(2);

        var now = status.Time.GetUtcNow();
        var due = !connection.Cache.IsLoaded || connection.RelistRequested || now - connection.Cache.LoadedAt >= connection.ResyncInterval * 0.9;
        if (due)
        {
            connection.RelistRequested = false;
            // Where the audit feed starts: read before the list, so a change that lands during the list is read back again.
            var head = connection.FeedSequence is null ? await connection.Feed.ReadAuditFeedAsync(long.MaxValue, cancellationToken) : null;
            if (head is { IsOk: false })
                Log.FeedUnavailable(logger, ns, head.Message ?? "");
            var since = connection.Cache.BeginRefresh();
            var observed = await connection.Engine.ObserveAsync(cancellationToken);
            if (!observed.IsOk)
            {
                connection.IsReady = false;
                connection.NotReadyMessage = observed.Message;
                var reason = observed.Outcome == PlatformOutcome.Unauthorized ? ConditionReasons.Unauthorized : ConditionReasons.PlatformUnavailable;
                Log.RefreshFailed(logger, ns, reason, observed.Message ?? "");
                return await FailAsync(resource, current, reason, observed.Message ?? reason, terminal: false, cancellationToken);
            }

            connection.Cache.Load(observed.Value!, now, since);
            if (head is { IsOk: true })
                connection.FeedSequence = head.Value!.LatestSequence;
            connection.IsReady = true;
            connection.NotReadyMessage = null;
            refreshed(ns);
        }

        var next = status.SetProgress(current, ReconcileProgress.Settled, ConditionReasons.Connected, "", generation);
        // A user name or password in the url is not sent (the token authenticates), and not repeated.
        var shown = url.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped);
        next = status.SetCondition(next, ConditionTypes.Ready, true, ConditionReasons.Connected, $"the platform at {shown} answers and the token works", generation);
        next = status.SetCondition(next, ConditionTypes.Synced, true, ConditionReasons.ReconcileSuccess, "", generation);
        // lastSyncedAt moves only with the conditions: stamping every list pass would write status at every resync.
        var changed = next.Conditions != current.Conditions || current.LastSyncedAt is null;
        next = next with { ObservedGeneration = generation, LastSyncedAt = changed ? connection.Cache.LoadedAt : current.LastSyncedAt };
        await status.WriteAsync(Type, resource, next, cancellationToken);
        var wait = connection.ResyncInterval - (status.Time.GetUtcNow() - connection.Cache.LoadedAt!.Value);
        return ReconcileResult.Success(wait > TimeSpan.Zero ? wait : connection.ResyncInterval);
    }

    private async Task<ReconcileResult> FailAsync(CustomResource resource, ResourceStatus current, string reason, string message, bool terminal, CancellationToken cancellationToken)
    {
        var generation = resource.Metadata.Generation;
        // A rejected token is retried too (the Secret may be rotated), but waits on a person: Stalled, as a refused spec is.
        var progress = terminal || reason == ConditionReasons.Unauthorized ? ReconcileProgress.Stalled : ReconcileProgress.Reconciling;
        var next = status.SetProgress(current, progress, reason, message, generation);
        next = status.SetCondition(next, ConditionTypes.Ready, false, reason, message, generation);
        next = status.SetCondition(next, ConditionTypes.Synced, false, reason, message, generation);
        await status.WriteAsync(Type, resource, next with { ObservedGeneration = generation }, cancellationToken);
        return terminal ? ReconcileResult.Terminal(reason) : ReconcileResult.Wait(reason, RetryDelay);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The audit trail of the platform of namespace {Namespace} cannot be tailed; drift waits for the resync: {Message}")]
        public static partial void FeedUnavailable(ILogger logger, string @namespace, string message);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The platform of namespace {Namespace} could not be listed ({Reason}): {Message}")]
        public static partial void RefreshFailed(ILogger logger, string @namespace, string reason, string message);
    }
}
