using System.Globalization;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Core.Schedules;

namespace Reconciler.Cli.Plumbing;

/// <summary>The instant a plan or apply evaluates dated changes at: now, or <c>plan --at</c> for a review of another time.</summary>
internal static class DatedRun
{
    /// <summary>
    /// Now when no time is given; null when the given one cannot be read. A date starts in the organisation's zone, as the
    /// agents' own dates do: the Organization manifest's, else the platform's profile's once <paramref name="observed"/>, else UTC.
    /// </summary>
    public static DateTimeOffset? At(string? given, IReadOnlyList<Resource> resources, ObservedState? observed, TimeProvider time) =>
        given is null ? time.GetUtcNow() : ScheduleTime.Parse(given, DesiredStateAt.ZoneOf(resources, observed), isEnd: false);

    /// <summary>Said above the plan when it is not evaluated at now, so nobody takes a review of next week for today's.</summary>
    public static string Header(string? given, DateTimeOffset at) => given is null
        ? ""
        : $"\nDated changes evaluated at {at.ToString(Core.Engine.Output.TransitionText.TimeFormat, CultureInfo.InvariantCulture)} (--at), not now; apply evaluates them at the time it runs.";
}
