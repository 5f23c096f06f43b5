using Reconciler.Core.Platform;

namespace Reconciler.Core.Engine;

/// <summary>Names who caused drift, from the platform's audit trail; pure.</summary>
public static class DriftAttribution
{
    /// <summary>Objects whose difference may be drift: marked as ours and differing. Empty means no audit query is needed.</summary>
    public static IReadOnlyList<string> Candidates(Plan plan) =>
        [.. plan.Changes.Where(c => c.Action == ChangeAction.Update && c.ObjectId is not null).Select(c => c.ObjectId!)];

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
}
