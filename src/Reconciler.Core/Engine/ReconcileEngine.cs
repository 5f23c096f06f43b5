using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>A plan together with what its apply needs: the secret values, resolved once.</summary>
public sealed record PlannedRun(Plan Plan, SecretValues Secrets, ObservedState Observed);

/// <summary>
/// The engine's IO shell around the pure <see cref="Planner"/>: observe (one list pass per kind and one organisation
/// GET), resolve secrets, plan, and read the audit trail once only when a marked object differs.
/// </summary>
public sealed class ReconcileEngine(IPlatformClient client, ISecretResolver secrets)
{
    public async Task<PlatformResult<ObservedState>> ObserveAsync(CancellationToken cancellationToken)
    {
        var collections = KindMappers.InDependencyOrder.Where(c => !c.IsSingleton).Select(c => c.Collection).ToList();
        var lists = collections.Select(c => client.ListAsync(c, cancellationToken)).ToList();
        var organization = client.GetOrganizationAsync(cancellationToken);
        var permissions = client.ListPermissionsAsync(cancellationToken);
        var placeholders = client.ListPlaceholdersAsync(cancellationToken);
        await Task.WhenAll([.. lists, organization, permissions, placeholders]);

        var observed = new Dictionary<string, IReadOnlyList<PlatformObject>>(StringComparer.Ordinal);
        for (var i = 0; i < collections.Count; i++)
        {
            var list = await lists[i];
            if (!list.IsOk)
                return list.As<ObservedState>() with { Message = $"listing {collections[i]}: {list.Message}" };
            observed[collections[i]] = list.Value!;
        }

        var org = await organization;
        if (!org.IsOk && org.Outcome != PlatformOutcome.NotFound)
            return org.As<ObservedState>() with { Message = $"reading the organisation: {org.Message}" };

        // A platform without a readable catalog still judges permissions itself, at apply; plan only loses the early warning.
        var catalog = await permissions;
        var known = await placeholders;
        return PlatformResult<ObservedState>.Ok(new ObservedState(observed, org.Value)
        {
            Permissions = catalog.IsOk ? catalog.Value!.ToHashSet(StringComparer.Ordinal) : null,
            Placeholders = known.IsOk ? known.Value!.ToHashSet(StringComparer.Ordinal) : null,
        });
    }

    public async Task<PlatformResult<PlannedRun>> PlanAsync(IReadOnlyList<Resource> resources, PlanOptions options, CancellationToken cancellationToken)
    {
        var observed = await ObserveAsync(cancellationToken);
        return observed.IsOk ? PlatformResult<PlannedRun>.Ok(await PlanAsync(resources, options, observed.Value!, cancellationToken)) : observed.As<PlannedRun>();
    }

    /// <summary>Plans against a platform observed already (the CLI observes while it loads the manifests).</summary>
    public async Task<PlannedRun> PlanAsync(IReadOnlyList<Resource> resources, PlanOptions options, ObservedState observed, CancellationToken cancellationToken)
    {
        var secretValues = await SecretValues.ResolveAsync(resources.Where(KindMappers.Manages), secrets, cancellationToken);
        var plan = Planner.Plan(new DesiredState(resources, secretValues), observed, options);
        plan = await AttributeDriftAsync(plan, cancellationToken);
        return new PlannedRun(plan, secretValues, observed);
    }

    /// <summary>
    /// Reads the audit trail only when there is something to attribute, and only from the earliest drifted object's
    /// last change on (one query per run when every candidate carries <c>updatedAt</c>); an unreadable trail leaves
    /// drift unattributed.
    /// </summary>
    public Task<Plan> AttributeDriftAsync(Plan plan, CancellationToken cancellationToken) => AttributeDriftAsync(client, plan, cancellationToken);

    /// <inheritdoc cref="AttributeDriftAsync(Plan, CancellationToken)"/>
    public static async Task<Plan> AttributeDriftAsync(IPlatformClient client, Plan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var queries = DriftAttribution.Queries(plan);
        if (queries.Count == 0)
            return plan;
        var answers = await Task.WhenAll(queries.Select(q => client.ListAuditEventsAsync(q, cancellationToken)));
        var wanted = DriftAttribution.Candidates(plan).ToHashSet(StringComparer.Ordinal);
        var events = answers.Where(a => a.IsOk).SelectMany(a => a.Value!).Where(e => wanted.Contains(e.ObjectId));
        return DriftAttribution.Attribute(plan, [.. events]);
    }

    public Task<ApplyResult> ApplyAsync(PlannedRun run, IPendingCreateStore pendingCreates, Func<PlannedChange, ChangeReason> reasons, int parallelism, IProgress<ResourceResult>? progress, CancellationToken cancellationToken, CancellationToken stopStarting = default, IReadOnlyDictionary<string, string>? reserved = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var options = new ApplyOptions { Secrets = run.Secrets, PendingCreates = pendingCreates, Reasons = reasons, Parallelism = parallelism, StopStarting = stopStarting, Reserved = reserved };
        return PlanExecutor.ApplyAsync(run.Plan, client, options, progress, cancellationToken);
    }
}
