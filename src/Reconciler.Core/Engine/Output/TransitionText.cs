using System.Globalization;
using Reconciler.Core.Schedules;

namespace Reconciler.Core.Engine.Output;

/// <summary>Upcoming dated changes for people: "in 2 days: Maria Santos back to role agent".</summary>
public static class TransitionText
{
    public const string Heading = "Upcoming dated changes (applied when due):";

    /// <summary>How an instant is shown to reviewers: to the minute, with its offset (2026-12-07 00:00 +01:00).</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm zzz";

    /// <summary>One line per transition, relative to the instant the plan was evaluated at.</summary>
    public static IEnumerable<string> Lines(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.EvaluatedAt is not { } now)
            yield break;
        foreach (var transition in plan.Transitions)
            yield return Line(transition, now);
    }

    public static string Line(ScheduledTransition transition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return string.Create(CultureInfo.InvariantCulture, $"{Relative(transition.At - now)}: {transition.Description} ({transition.Address}, at {transition.At.ToString(TimeFormat, CultureInfo.InvariantCulture)})");
    }

    /// <summary>"in 2 days", "in 5 hours", "in 12 minutes": the largest whole unit, rounded down, as a reviewer reads it.</summary>
    public static string Relative(TimeSpan until) => until switch
    {
        { TotalDays: >= 1 } => Unit((int)until.TotalDays, "day"),
        { TotalHours: >= 1 } => Unit((int)until.TotalHours, "hour"),
        { TotalMinutes: >= 1 } => Unit((int)until.TotalMinutes, "minute"),
        _ => "in less than a minute",
    };

    private static string Unit(int count, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"in {count} {unit}{(count == 1 ? "" : "s")}");
}
