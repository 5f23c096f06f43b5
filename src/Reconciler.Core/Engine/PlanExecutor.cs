using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Engine;

/// <summary>How one resource fared in an apply.</summary>
public enum ResourceOutcome
{
    Created,
    Updated,
    Adopted,
    Deleted,
    Unchanged,
    Failed,
    Skipped,
}

/// <summary>The result of one resource; <see cref="Message"/> says why it failed or was skipped, <see cref="Cause"/> what the platform answered.</summary>
public sealed record ResourceResult(ResourceId Address, ChangeAction? Action, ResourceOutcome Outcome, string? ObjectId = null, string? Message = null, PlatformOutcome? Cause = null);

/// <summary>Per-resource results of an apply; an apply reports, it does not throw.</summary>
public sealed record ApplyResult(IReadOnlyList<ResourceResult> Results, bool Cancelled = false)
{
    public bool Succeeded => !Cancelled && Results.All(r => r.Outcome is not (ResourceOutcome.Failed or ResourceOutcome.Skipped));

    public int Count(ResourceOutcome outcome) => Results.Count(r => r.Outcome == outcome);
}

/// <summary>Settings of one apply.</summary>
public sealed record ApplyOptions
{
    public required SecretValues Secrets { get; init; }

    public required IPendingCreateStore PendingCreates { get; init; }

    /// <summary>The reason each write carries into the platform's audit trail.</summary>
    public required Func<PlannedChange, ChangeReason> Reasons { get; init; }

    /// <summary>Most platform writes in flight at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>Once cancelled, no further change starts; calls in flight finish (the cancellation token aborts them).</summary>
    public CancellationToken StopStarting { get; init; }

    /// <summary>The nonces <see cref="PlanExecutor.ReserveCreatesAsync"/> reserved ahead for this plan; null to reserve them at the start of the apply.</summary>
    public IReadOnlyDictionary<string, string>? Reserved { get; init; }
}

/// <summary>
/// Executes a <see cref="Plan"/>: creates and updates over the dependency DAG in parallel (bounded), then deletes in
/// reverse dependency order. One failure fails only that resource; its dependents are skipped with the reason.
/// </summary>
public static class PlanExecutor
{
    public static async Task<ApplyResult> ApplyAsync(Plan plan, IPlatformClient client, ApplyOptions options, IProgress<ResourceResult>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);

        var results = new ConcurrentDictionary<ResourceId, ResourceResult>();
        void Report(ResourceResult result)
        {
            results[result.Address] = result;
            progress?.Report(result);
        }

        foreach (var error in plan.Errors)
            Report(new ResourceResult(error.Address, null, ResourceOutcome.Failed, null, $"{error.Reason}: {error.Message}"));
        if (plan.IsBlocked)
        {
            foreach (var change in plan.Changes)
                Report(new ResourceResult(change.Address, change.Action, ResourceOutcome.Skipped, change.ObjectId, "plan refused: " + string.Join("; ", plan.Refusals.Concat(plan.GuardRefusals.Select(g => $"guard {g.Guard}: {g.Message}")))));
            return Finish(results, cancelled: false);
        }

        var run = new Run(client, options, plan, Report)
        {
            Nonces = options.Reserved ?? await ReserveCreatesAsync(plan, options.PendingCreates, cancellationToken),
        };

        var writes = plan.Changes.Where(c => c.Action != ChangeAction.Delete).ToList();
        var failedAtPlan = plan.Errors.Select(e => e.Address).ToHashSet();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, options.StopStarting);
        var cancelled = await RunGraphAsync(writes, failedAtPlan, run, options.Parallelism, stop.Token, cancellationToken);

        var done = writes
            .Where(c => c.Action == ChangeAction.Create && results.TryGetValue(c.Address, out var r)
                && r.Outcome is ResourceOutcome.Created or ResourceOutcome.Adopted or ResourceOutcome.Updated or ResourceOutcome.Unchanged)
            .Select(OperationOf)
            .ToList();
        if (done.Count > 0)
            await options.PendingCreates.ReleaseAsync(done, CancellationToken.None);

        // Deletes run kind by kind in reverse dependency order: what references an object goes before it.
        foreach (var group in plan.Changes.Where(c => c.Action == ChangeAction.Delete).GroupBy(c => c.Collection))
        {
            if (cancelled || run.Unreachable)
                break;
            cancelled = await RunGraphAsync([.. group], [], run, options.Parallelism, stop.Token, cancellationToken);
        }

        foreach (var change in plan.Changes.Where(c => !results.ContainsKey(c.Address)))
            Report(new ResourceResult(change.Address, change.Action, ResourceOutcome.Skipped, change.ObjectId, run.Unreachable ? "not attempted: an earlier request could not reach the platform or got no answer" : "cancelled before it started"));
        return Finish(results, cancelled);
    }

    /// <summary>
    /// The idempotency nonces of the plan's creates, reserved (or reused from an interrupted run) and persisted before it
    /// returns; apply does it before it sends any create, unless a caller did it ahead (<see cref="ApplyOptions.Reserved"/>),
    /// while it showed the plan.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReserveCreatesAsync(Plan plan, IPendingCreateStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(store);

        // A pending create whose object this plan observed is done, whoever finished it: its nonce must not
        // outlive the object (deleted by hand or pruned, a later create would replay a 201 for nothing).
        await store.ReleaseAsync(ObservedOperations(plan), cancellationToken);
        var creates = plan.Changes.Where(c => c.Action == ChangeAction.Create).Select(OperationOf).ToList();
        return creates.Count == 0 ? new Dictionary<string, string>() : await store.ReserveAsync(creates, cancellationToken);
    }

    /// <summary>The pending-create marker's name of a change: collection and natural key.</summary>
    public static string OperationOf(PlannedChange change) => Operation(change.Collection, change.Key);

    private static string Operation(string collection, string key) => $"{collection}/{key}";

    private static List<string> ObservedOperations(Plan plan) =>
    [
        .. plan.Changes.Where(c => c.Action != ChangeAction.Create).Select(OperationOf),
        .. plan.NotInManifests.Select(OperationOf),
        .. plan.Unchanged.Where(u => u.Key is not null).Select(u => Operation(u.Collection, u.Key!)),
    ];

    private static ApplyResult Finish(ConcurrentDictionary<ResourceId, ResourceResult> results, bool cancelled) =>
        new([.. results.Values.OrderBy(r => r.Address.Kind, StringComparer.Ordinal).ThenBy(r => r.Address.Name, StringComparer.Ordinal)], cancelled);

    /// <summary>Runs the changes over their dependency graph; returns whether it stopped because of cancellation.</summary>
    private static async Task<bool> RunGraphAsync(List<PlannedChange> changes, HashSet<ResourceId> failedBefore, Run run, int parallelism, CancellationToken stopStarting, CancellationToken cancellationToken)
    {
        var byAddress = changes.ToDictionary(c => c.Address);
        var waitingOn = new Dictionary<ResourceId, int>();
        var dependents = new Dictionary<ResourceId, List<ResourceId>>();
        var ready = new Queue<PlannedChange>();
        var failed = new Dictionary<ResourceId, string>();
        foreach (var address in failedBefore)
            failed[address] = "failed";

        foreach (var change in changes)
        {
            var blockers = change.DependsOn.Where(d => byAddress.ContainsKey(d) || failed.ContainsKey(d)).ToList();
            waitingOn[change.Address] = blockers.Count;
            foreach (var blocker in blockers)
            {
                if (!dependents.TryGetValue(blocker, out var list))
                    dependents[blocker] = list = [];
                list.Add(change.Address);
            }
        }

        void Skip(ResourceId address, ResourceId because)
        {
            if (!byAddress.TryGetValue(address, out var change) || failed.ContainsKey(address))
                return;
            failed[address] = "skipped";
            run.Report(new ResourceResult(address, change.Action, ResourceOutcome.Skipped, change.ObjectId, $"dependency {because} failed"));
            foreach (var next in dependents.GetValueOrDefault(address) ?? [])
                Skip(next, address);
        }

        foreach (var address in failedBefore)
        {
            foreach (var next in dependents.GetValueOrDefault(address) ?? [])
                Skip(next, address);
        }

        foreach (var change in changes.Where(c => waitingOn[c.Address] == 0 && !failed.ContainsKey(c.Address)))
            ready.Enqueue(change);

        var running = new HashSet<Task<ResourceResult>>();
        void StartReady()
        {
            while (ready.Count > 0 && running.Count < Math.Max(1, parallelism) && !stopStarting.IsCancellationRequested && !run.Unreachable)
                running.Add(run.ExecuteAsync(ready.Dequeue(), cancellationToken));
        }

        StartReady();
        while (running.Count > 0)
        {
            var finished = await Task.WhenAny(running);
            running.Remove(finished);
            var result = await finished;
            if (result.Outcome == ResourceOutcome.Failed)
            {
                run.Report(result);
                failed[result.Address] = result.Message ?? "failed";
                foreach (var next in dependents.GetValueOrDefault(result.Address) ?? [])
                    Skip(next, result.Address);
                StartReady();
            }
            else
            {
                foreach (var next in dependents.GetValueOrDefault(result.Address) ?? [])
                {
                    if (!failed.ContainsKey(next) && --waitingOn[next] == 0)
                        ready.Enqueue(byAddress[next]);
                }

                // The freed slot's next request goes out before the progress line is written, not after it.
                StartReady();
                run.Report(result);
            }
        }

        return stopStarting.IsCancellationRequested;
    }

    /// <summary>State of one apply: live ids of references (including objects created in this run) and idempotency keys.</summary>
    private sealed class Run(IPlatformClient client, ApplyOptions options, Plan plan, Action<ResourceResult> report) : IReferenceResolver
    {
        private readonly ConcurrentDictionary<ResourceId, string> _ids = new(plan.KnownIds);

        public required IReadOnlyDictionary<string, string> Nonces { get; init; }

        /// <summary>Set once a request found the platform unreachable: no new work starts, the rest is reported not attempted.</summary>
        public bool Unreachable => _unreachable;

        private volatile bool _unreachable;

        public void Report(ResourceResult result) => report(result);

        public ReferenceLookup Resolve(ResourceId target) =>
            _ids.TryGetValue(target, out var id) ? ReferenceLookup.Of(id) : ReferenceLookup.Missing;

        public async Task<ResourceResult> ExecuteAsync(PlannedChange change, CancellationToken cancellationToken)
        {
            try
            {
                var result = change.Action switch
                {
                    ChangeAction.Create => await CreateAsync(change, cancellationToken),
                    ChangeAction.Update or ChangeAction.Adopt => await ReplaceAsync(change, change.ObjectId!, change.ObservedVersion ?? 0, change.Action, cancellationToken),
                    ChangeAction.Delete => await DeleteAsync(change, cancellationToken),
                    _ => throw new ArgumentOutOfRangeException(nameof(change), change.Action, "Unknown action."),
                };
                if (result.ObjectId is not null && result.Outcome != ResourceOutcome.Deleted)
                    _ids[change.Address] = result.ObjectId;
                return result;
            }
            catch (ReferenceNotFoundException e)
            {
                return Failed(change, "ReferenceNotFound: " + e.Message);
            }
            catch (SecretNotFoundException e)
            {
                return Failed(change, "SecretNotFound: " + e.Message);
            }
            catch (OperationCanceledException)
            {
                return new ResourceResult(change.Address, change.Action, ResourceOutcome.Skipped, change.ObjectId, "cancelled while in flight; a re-run converges");
            }
        }

        private (IKindMapper Controller, JsonObject Body, Dictionary<string, string> Labels) Body(PlannedChange change, PlatformObject? current)
        {
            var resource = change.Desired!;
            var controller = KindMappers.For(resource);
            var mapped = controller.Map(resource, new MappingContext(this, options.Secrets, IncludeSecretValues: true) { ObservedLabels = current?.Labels });
            var labels = Planner.OwnedLabels(resource, mapped);
            var all = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in current?.Labels ?? new Dictionary<string, string>())
                all[name] = value;
            foreach (var (name, value) in labels)
                all[name] = value;
            // The mapping is this call's own (Map makes a new one each time), so its fields become the body uncopied.
            var body = FieldOwnership.OwnedValues.Overlay(mapped.Fields, current ?? change.Observed, change.Owned);
            body["labels"] = new JsonObject([.. all.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))]);
            return (controller, body, labels);
        }

        private async Task<ResourceResult> CreateAsync(PlannedChange change, CancellationToken cancellationToken)
        {
            var (controller, body, labels) = Body(change, null);
            var operation = OperationOf(change);
            var created = await WholeAsync(change, await client.CreateAsync(change.Collection, body, IdempotencyKeys.Derive(Nonces[operation], operation, body), options.Reasons(change), cancellationToken), cancellationToken);
            if (created.IsOk && NotTheCreated(change, created.Value!) is { } wrong)
                return Failed(change, wrong);
            if (created is { IsOk: true, Replayed: true })
            {
                // A replayed 201 only says a create once succeeded: the object must still exist to count.
                var current = await client.GetAsync(change.Collection, created.Value!.Id, cancellationToken);
                if (current.Outcome == PlatformOutcome.NotFound)
                {
                    var nonce = await options.PendingCreates.RenewAsync(operation, cancellationToken);
                    created = await WholeAsync(change, await client.CreateAsync(change.Collection, body, IdempotencyKeys.Derive(nonce, operation, body), options.Reasons(change), cancellationToken), cancellationToken);
                }
                else if (!current.IsOk)
                {
                    return Failed(change, current);
                }
                else if (Planner.Differs(controller, body, labels, current.Value!))
                {
                    return await ReplaceAsync(change with { Observed = current.Value }, current.Value!.Id, current.Value.Version, ChangeAction.Update, cancellationToken);
                }
            }

            if (created.IsOk)
            {
                return NotTheCreated(change, created.Value!) is { } other
                    ? Failed(change, other)
                    : new ResourceResult(change.Address, change.Action, ResourceOutcome.Created, created.Value!.Id);
            }

            if (created.Outcome == PlatformOutcome.Conflict && created.ExistingId is { } existingId)
            {
                // Someone created it since we observed: take it over like any other unmarked object. When an earlier
                // attempt went unanswered and the object is already what this create makes, marks included, it is this
                // create's own (made, its answer lost, on a platform that did not replay it): created, not written again.
                var current = await client.GetAsync(change.Collection, existingId, cancellationToken);
                if (!current.IsOk)
                    return Failed(change, current);
                if (created.Resent && !Planner.Differs(controller, body, labels, current.Value!))
                    return new ResourceResult(change.Address, change.Action, ResourceOutcome.Created, existingId);
                return await ReplaceAsync(change with { Observed = current.Value }, existingId, current.Value!.Version, ChangeAction.Adopt, cancellationToken);
            }

            return Failed(change, created);
        }

        private async Task<ResourceResult> ReplaceAsync(PlannedChange change, string id, long version, ChangeAction action, CancellationToken cancellationToken)
        {
            var current = change.Observed;
            for (var attempt = 0; ; attempt++)
            {
                var (controller, body, labels) = Body(change, current);
                var reason = options.Reasons(change);
                var replaced = controller.IsSingleton
                    ? await client.ReplaceOrganizationAsync(version, body, reason, cancellationToken)
                    : await client.ReplaceAsync(change.Collection, id, version, body, reason, cancellationToken);
                // The object is the one written to: a platform may answer a replace without a body (204), and an
                // empty id here became the reference every later write in the run sent for it.
                if (replaced.IsOk)
                    return new ResourceResult(change.Address, action, action == ChangeAction.Adopt ? ResourceOutcome.Adopted : ResourceOutcome.Updated, id);
                if (replaced.Outcome != PlatformOutcome.PreconditionFailed || attempt > 0)
                    return Failed(change, replaced);

                // 412: someone changed it since we looked. Look again; write only if it still differs.
                var fresh = controller.IsSingleton
                    ? await client.GetOrganizationAsync(cancellationToken)
                    : await client.GetAsync(change.Collection, id, cancellationToken);
                if (!fresh.IsOk)
                    return Failed(change, fresh);
                current = fresh.Value!;
                var written = replaced.Resent && current.Version == version + 1;
                version = current.Version;

                // Sent again after an attempt went unanswered (a dropped connection, a 5xx after the commit), and exactly
                // one version on with what was sent: that version is this write's own, so it counts as done, not as found so.
                if (!Planner.Differs(controller, body, labels, current))
                    return new ResourceResult(change.Address, action, written ? (action == ChangeAction.Adopt ? ResourceOutcome.Adopted : ResourceOutcome.Updated) : ResourceOutcome.Unchanged, id);
            }
        }

        private async Task<ResourceResult> DeleteAsync(PlannedChange change, CancellationToken cancellationToken)
        {
            var version = change.ObservedVersion ?? 0;
            for (var attempt = 0; ; attempt++)
            {
                var deleted = await client.DeleteAsync(change.Collection, change.ObjectId!, version, options.Reasons(change), cancellationToken);
                if (deleted.IsOk || deleted.Outcome == PlatformOutcome.NotFound)
                    return new ResourceResult(change.Address, change.Action, ResourceOutcome.Deleted, change.ObjectId);
                if (deleted.Outcome != PlatformOutcome.PreconditionFailed || attempt > 0)
                    return Failed(change, deleted);

                var fresh = await client.GetAsync(change.Collection, change.ObjectId!, cancellationToken);
                if (fresh.Outcome == PlatformOutcome.NotFound)
                    return new ResourceResult(change.Address, change.Action, ResourceOutcome.Deleted, change.ObjectId);
                if (!fresh.IsOk)
                    return Failed(change, fresh);
                if (!Ownership.IsMarked(fresh.Value!.Labels))
                    return Failed(change, "no longer marked as managed by Reconciler; not deleted");
                version = fresh.Value.Version;
            }
        }

        /// <summary>
        /// A create answered without the object (a 201 naming it only in <c>Location</c>) says neither what was made nor
        /// its version: the object is read, so that it is checked to be the one asked for before its id is handed on.
        /// </summary>
        private async Task<PlatformResult<PlatformObject>> WholeAsync(PlannedChange change, PlatformResult<PlatformObject> created, CancellationToken cancellationToken)
        {
            if (created is not { IsOk: true, Value: { Version: 0, Id.Length: > 0 } answered })
                return created;
            var read = await client.GetAsync(change.Collection, answered.Id, cancellationToken);
            return read.IsOk ? created with { Value = read.Value } : read;
        }

        /// <summary>
        /// Why a successful answer to a create does not show the object asked for: it names no object (a body without
        /// an id and no <c>Location</c>), or another one (a gateway that answered from the wrong request). Counting it as
        /// created would report work that may not have happened and hand its id to every reference to it.
        /// </summary>
        private static string? NotTheCreated(PlannedChange change, PlatformObject answer) =>
            answer.Id.Length == 0
                ? $"POST {change.Collection}: the platform's answer names no object (no id); not counted as created (a re-run finds the object if it was made)"
                : answer.Key.Length > 0 && !string.Equals(answer.Key, change.Key, StringComparison.Ordinal)
                    ? TerminalText.Printable($"POST {change.Collection}: the platform answered with another object ('{answer.Key}', id {answer.Id}) than the one asked for ('{change.Key}'); not counted as created (a re-run finds the object if it was made)")
                    : null;

        private static ResourceResult Failed(PlannedChange change, string message) =>
            new(change.Address, change.Action, ResourceOutcome.Failed, change.ObjectId, message);

        private ResourceResult Failed<T>(PlannedChange change, PlatformResult<T> result)
        {
            if (result.Unreachable)
                _unreachable = true;
            return new(change.Address, change.Action, ResourceOutcome.Failed, change.ObjectId, Describe(result), result.Outcome);
        }

        private static string Describe<T>(PlatformResult<T> result)
        {
            var fields = result.FieldErrors is { Count: > 0 } errors
                ? " (" + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")) + ")"
                : "";
            return $"{result.Outcome}: {result.Message}{fields}";
        }
    }
}
