using System.Globalization;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Core.Schedules;

namespace Reconciler.Operator.Controllers;

/// <summary>
/// What dated changes add to a successful reconcile: the next transition (recorded in status, and the moment to
/// reconcile again, so a window opens or closes within seconds of its boundary) and an event for each transition
/// that came due since the last one recorded.
/// </summary>
public static class DatedReconcile
{
    public const string EventReason = "DatedChange";

    /// <summary>The next transition after now, and the notes of the events to record.</summary>
    public sealed record Outcome(DateTimeOffset? Next, IReadOnlyList<string> Events);

    public static Outcome Evaluate(Resource desired, ResourceStatus status, ObservedState observed, DateTimeOffset now, bool written)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(status);
        var next = DesiredStateAt.NextTransition(desired, observed, now);
        if (DatedOf(desired.Kind)?.NextTransitionOf(status) is not { } previous || previous > now)
            return new Outcome(next, []);
        var effect = written ? "written to the platform" : "the platform already matched";
        var due = DesiredStateAt.Due(desired, observed, previous.AddTicks(-1), now);
        return new Outcome(next, [.. due.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Description} (due {t.At:O}; {effect})"))]);
    }

    /// <summary>Whether the transition recorded in status has come due: the difference it makes is not drift.</summary>
    public static bool IsDue(string kind, ResourceStatus status, DateTimeOffset now) =>
        DatedOf(kind)?.NextTransitionOf(status) is { } next && next <= now;

    public static ResourceStatus WithNext(string kind, ResourceStatus status, DateTimeOffset? next) =>
        DatedOf(kind) is { } dated ? dated.WithNextTransition(status, next) : status;

    private static DatedChanges? DatedOf(string kind) => ResourceCatalog.Find(kind)?.Description.Dated;

    /// <summary>The resync interval, or sooner when a transition is due before it.</summary>
    public static TimeSpan RequeueAfter(TimeSpan resync, DateTimeOffset? next, DateTimeOffset now)
    {
        if (next is not { } at)
            return resync;
        var until = at - now;
        return until < TimeSpan.Zero ? TimeSpan.Zero : until < resync ? until : resync;
    }
}
