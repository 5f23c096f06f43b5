using Reconciler.Core.Resources;

namespace Reconciler.Core.Schedules;

/// <summary>
/// An agent's dated changes as pure functions: the spec in force at an instant (activeFrom/activeUntil and the open
/// temporary assignments applied), and the instants at which it changes.
/// </summary>
public static class AgentSchedule
{
    /// <summary>Whether the agent has anything dated; one that has not is its own spec at every instant.</summary>
    public static bool IsDated(Agent agent) =>
        agent.Spec.ActiveFrom is not null || agent.Spec.ActiveUntil is not null || agent.Spec.Temporary.Count > 0;

    /// <summary>The agent as it is meant to be at <paramref name="at"/>: unparsable boundaries are left to validation and ignored here.</summary>
    public static Agent At(Agent agent, DateTimeOffset at, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (!IsDated(agent))
            return agent;
        var spec = agent.Spec;
        var from = Boundary(spec.ActiveFrom, zone, isEnd: false);
        var until = Boundary(spec.ActiveUntil, zone, isEnd: true);
        var inWindow = (from is null || at >= from) && (until is null || at < until);
        var effective = spec with { Active = spec.Active && inWindow };
        foreach (var assignment in spec.Temporary)
        {
            if (!IsOpen(assignment, at, zone))
                continue;
            effective = effective with
            {
                RoleRef = assignment.RoleRef ?? effective.RoleRef,
                BusinessUnitRefs = assignment.BusinessUnitRefs ?? effective.BusinessUnitRefs,
                Level = assignment.Level ?? effective.Level,
            };
        }

        return agent with { Spec = effective };
    }

    /// <summary>Every instant at which the agent's effective spec may change, in order.</summary>
    public static IReadOnlyList<DateTimeOffset> Boundaries(Agent agent, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var spec = agent.Spec;
        IEnumerable<DateTimeOffset?> all =
        [
            Boundary(spec.ActiveFrom, zone, isEnd: false),
            Boundary(spec.ActiveUntil, zone, isEnd: true),
            .. spec.Temporary.SelectMany(t => new[] { Boundary(t.From, zone, isEnd: false), Boundary(t.Until, zone, isEnd: true) }),
        ];
        return [.. all.OfType<DateTimeOffset>().Distinct().Order()];
    }

    /// <summary>The transitions after <paramref name="after"/> (exclusive) that change the effective spec, in order.</summary>
    public static IReadOnlyList<ScheduledTransition> Upcoming(Agent agent, DateTimeOffset after, TimeZoneInfo zone)
    {
        var transitions = new List<ScheduledTransition>();
        foreach (var boundary in Boundaries(agent, zone).Where(b => b > after))
        {
            var before = At(agent, boundary.AddTicks(-1), zone).Spec;
            var then = At(agent, boundary, zone).Spec;
            var changes = Changes(before, then).ToList();
            if (changes.Count > 0)
                transitions.Add(new ScheduledTransition(boundary, agent.Id, Describe(agent, then, changes), changes));
        }

        return transitions;
    }

    /// <summary>The first instant after <paramref name="after"/> at which the effective spec changes, if any.</summary>
    public static DateTimeOffset? Next(Agent agent, DateTimeOffset after, TimeZoneInfo zone) =>
        Upcoming(agent, after, zone).FirstOrDefault()?.At;

    private static bool IsOpen(TemporaryAssignment assignment, DateTimeOffset at, TimeZoneInfo zone) =>
        Boundary(assignment.From, zone, isEnd: false) is { } from && Boundary(assignment.Until, zone, isEnd: true) is { } until
        && at >= from && at < until;

    private static DateTimeOffset? Boundary(string? text, TimeZoneInfo zone, bool isEnd) =>
        text is null ? null : ScheduleTime.Parse(text, zone, isEnd);

    private static IEnumerable<TransitionChange> Changes(AgentSpec before, AgentSpec after)
    {
        if (before.Active != after.Active)
            yield return new("spec.active", Lower(before.Active), Lower(after.Active));
        if (before.RoleRef.Name != after.RoleRef.Name)
            yield return new("spec.roleRef", before.RoleRef.Name, after.RoleRef.Name);
        if (!before.BusinessUnitRefs.Select(r => r.Name).SequenceEqual(after.BusinessUnitRefs.Select(r => r.Name)))
            yield return new("spec.businessUnitRefs", Names(before.BusinessUnitRefs), Names(after.BusinessUnitRefs));
        if (before.Level != after.Level)
            yield return new("spec.level", before.Level.ToString(), after.Level.ToString());
    }

    /// <summary>"Maria Santos back to role agent": "back to" when the new value is the spec's own.</summary>
    private static string Describe(Agent agent, AgentSpec then, IReadOnlyList<TransitionChange> changes)
    {
        var spec = agent.Spec;
        var parts = changes.Select(c => c.Field switch
        {
            "spec.active" => then.Active ? "activated" : "deactivated",
            "spec.roleRef" => $"{Back(then.RoleRef.Name == spec.RoleRef.Name)}role {c.To}",
            "spec.businessUnitRefs" => $"{Back(Names(then.BusinessUnitRefs) == Names(spec.BusinessUnitRefs))}business units {(c.To is "" ? "(none)" : c.To)}",
            _ => $"{Back(then.Level == spec.Level)}level {c.To}",
        });
        return $"{spec.DisplayName} {string.Join(", ", parts)}";
    }

    private static string Back(bool isBase) => isBase ? "back to " : "to ";

    private static string Names(IReadOnlyList<ResourceRef> refs) => string.Join(", ", refs.Select(r => r.Name));

    private static string Lower(bool value) => value ? "true" : "false";
}
