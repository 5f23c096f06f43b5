using System.Globalization;
using System.Text.Json;
using Reconciler.Core.Platform;

namespace Reconciler.Core.Engine;

/// <summary>Names who caused drift, from the platform's audit trail; pure.</summary>
public static class DriftAttribution
{
    /// <summary>
    /// A platform may stamp <c>updatedAt</c> and the audit event's time from separate clock readings of one
    /// transaction; the slack keeps the last event inside the window at the cost of a few older ones.
    /// </summary>
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(1);

    /// <summary>Objects whose difference may be drift: marked as ours and differing. Empty means no audit query is needed.</summary>
    public static IReadOnlyList<string> Candidates(Plan plan) =>
        [.. CandidateChanges(plan).Select(c => c.ObjectId!)];

    /// <summary>
    /// Audit queries that find the last event of every candidate without reading the whole trail. An object's last
    /// event is as old as its <c>updatedAt</c>, so one query from the earliest candidate's <c>updatedAt</c> (narrowed
    /// to the collection or object when the candidates share one) covers them all. A candidate observed without
    /// <c>updatedAt</c> gets a query by its object id, bounded by that object's own history.
    /// </summary>
    public static IReadOnlyList<AuditQuery> Queries(Plan plan)
    {
        var candidates = CandidateChanges(plan).Select(c => (Change: c, UpdatedAt: UpdatedAt(c.Observed))).ToList();
        var dated = candidates.Where(c => c.UpdatedAt is not null).ToList();
        var queries = candidates
            .Where(c => c.UpdatedAt is null)
            .Select(c => new AuditQuery(Collection: c.Change.Collection, ObjectId: c.Change.ObjectId))
            .ToList();
        if (dated.Count > 0)
        {
            var collections = dated.Select(d => d.Change.Collection).Distinct(StringComparer.Ordinal).ToList();
            queries.Add(new AuditQuery(
                Collection: collections.Count == 1 ? collections[0] : null,
                ObjectId: dated.Count == 1 ? dated[0].Change.ObjectId : null,
                Since: dated.Min(d => d.UpdatedAt!.Value) - ClockSlack));
        }

        return queries;
    }

    /// <summary>
    /// A difference is drift when the last change to the object was not Reconciler's own (its reasons start
    /// with <see cref="ChangeReasons.Prefix"/>); otherwise the manifest changed since the last apply.
    /// </summary>
    public static Plan Attribute(Plan plan, IReadOnlyList<AuditRecord> events)
    {
        var lastByObject = events
            .GroupBy(e => e.ObjectId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(e => e.Sequence)!, StringComparer.Ordinal);
        var changes = plan.Changes.Select(change =>
        {
            if (change.Action != ChangeAction.Update || change.ObjectId is null
                || !lastByObject.TryGetValue(change.ObjectId, out var last) || ChangeReasons.IsOwn(last.Reason))
                return change;
            return change with { Drift = new DriftInfo(last.Actor, last.At, last.Reason) };
        });
        return plan with { Changes = [.. changes] };
    }

    private static IEnumerable<PlannedChange> CandidateChanges(Plan plan) =>
        plan.Changes.Where(c => c.Action == ChangeAction.Update && c.ObjectId is not null);

    private static DateTimeOffset? UpdatedAt(PlatformObject? observed) =>
        observed?.Fields["updatedAt"] is { } node && node.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
}
