using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Schedules;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Validation.Rules;

/// <summary>
/// Dated changes make sense: every boundary is a timestamp or a real date, a window ends after it starts, temporary
/// windows that override the same field do not overlap, and none lies wholly outside the agent's active window.
/// Dates are read in the Organization manifest's time zone (UTC without one), as the planner reads them.
/// </summary>
public sealed class ScheduleRule : IValidationRule
{
    private sealed record Window(int Index, DateTimeOffset From, DateTimeOffset Until, string[] Fields);

    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        var zone = DesiredStateAt.ZoneOf(context.Set.Resources, null);
        foreach (var agent in context.Set.OfType<Agent>())
        {
            var problems = new List<Diagnostic>();
            var activeFrom = Read(context, agent, "spec.activeFrom", agent.Spec.ActiveFrom, zone, isEnd: false, problems);
            var activeUntil = Read(context, agent, "spec.activeUntil", agent.Spec.ActiveUntil, zone, isEnd: true, problems);
            if (activeFrom is { } af && activeUntil is { } au && au <= af)
                problems.Add(Order(context, agent, "spec.activeUntil", agent.Spec.ActiveFrom!, agent.Spec.ActiveUntil!, Empty(agent.Spec.ActiveUntil!, af, zone)));

            var windows = new List<Window>();
            for (var i = 0; i < agent.Spec.Temporary.Count; i++)
            {
                var temporary = agent.Spec.Temporary[i];
                var path = $"spec.temporary[{i}]";
                if (temporary.RoleRef is null && temporary.BusinessUnitRefs is null && temporary.Level is null)
                    problems.Add(context.Error(DiagnosticCodes.MissingRequired, agent, path, "a temporary assignment sets roleRef, businessUnitRefs or level"));
                var from = Read(context, agent, path + ".from", temporary.From, zone, isEnd: false, problems);
                var until = Read(context, agent, path + ".until", temporary.Until, zone, isEnd: true, problems);
                if (from is not { } f || until is not { } u)
                    continue;
                if (u <= f)
                {
                    problems.Add(Order(context, agent, path + ".until", temporary.From, temporary.Until, Empty(temporary.Until, f, zone)));
                    continue;
                }

                if ((activeUntil is { } end && f >= end) || (activeFrom is { } start && u <= start))
                {
                    problems.Add(context.Error(DiagnosticCodes.ScheduleNeverOpens, agent, path + ".from",
                        $"the window {temporary.From} to {temporary.Until} never opens: the agent is active only {Active(agent.Spec)}"));
                    continue;
                }

                string[] fields = [.. new[] { temporary.RoleRef is null ? null : "roleRef", temporary.BusinessUnitRefs is null ? null : "businessUnitRefs", temporary.Level is null ? null : "level" }.OfType<string>()];
                foreach (var other in windows.Where(w => w.From < u && f < w.Until))
                {
                    var shared = fields.Intersect(other.Fields).ToList();
                    if (shared.Count > 0)
                    {
                        var at = context.Set.Locate(agent, $"spec.temporary[{other.Index}].from");
                        problems.Add(context.Error(DiagnosticCodes.ScheduleOverlap, agent, path + ".from",
                            $"this window ({temporary.From} to {temporary.Until}) overlaps spec.temporary[{other.Index}] ({agent.Spec.Temporary[other.Index].From} to {agent.Spec.Temporary[other.Index].Until}, {at}), which also sets {string.Join(", ", shared)}; only one override of a field can be in force at a time") with { Related = at });
                    }
                }

                windows.Add(new Window(i, f, u, fields));
            }

            foreach (var problem in problems)
                yield return problem;
        }
    }

    private static DateTimeOffset? Read(ValidationContext context, Agent agent, string path, string? text, TimeZoneInfo zone, bool isEnd, List<Diagnostic> problems)
    {
        if (text is null)
            return null;
        if (ScheduleTime.Parse(text, zone, isEnd) is { } instant)
            return instant;
        if (ScheduleTime.IsDate(text))
        {
            problems.Add(context.Error(DiagnosticCodes.ScheduleTime, agent, path,
                $"{Excerpt.Quoted(text)} {(isEnd ? "ends" : "starts")} outside the instants the calendar holds (years 0001 to 9999 UTC) in time zone {zone.Id}; use a date between 0001-01-02 and 9999-12-30, or leave an active window's boundary out for no bound"));
            return null;
        }

        problems.Add(context.Error(DiagnosticCodes.ScheduleTime, agent, path,
            $"{Excerpt.Quoted(text)} is neither an RFC 3339 timestamp with an offset (2026-12-07T09:00:00+01:00, 2026-12-07T08:00:00Z) nor a date (2026-12-07)"));
        return null;
    }

    /// <summary>An end that is not before the start yet reaches no further (a date's end is the next day's start): the window is empty.</summary>
    private static bool Empty(string until, DateTimeOffset from, TimeZoneInfo zone) => ScheduleTime.Parse(until, zone, isEnd: false) >= from;

    private static Diagnostic Order(ValidationContext context, Agent agent, string path, string from, string until, bool empty) => empty
        ? context.Error(DiagnosticCodes.ScheduleNeverOpens, agent, path, $"the window {from} to {until} never opens: it ends when it starts")
        : context.Error(DiagnosticCodes.ScheduleOrder, agent, path, $"until ({until}) is before from ({from})");

    private static string Active(AgentSpec spec) => (spec.ActiveFrom, spec.ActiveUntil) switch
    {
        ({ } from, { } until) => $"from {from} until {until}",
        ({ } from, null) => $"from {from}",
        _ => $"until {spec.ActiveUntil}",
    };
}
