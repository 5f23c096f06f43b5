namespace Reconciler.Core.Impact;

/// <summary>
/// Seats in use before and after a plan, against the seats bought. Counted from the observed total and the people the
/// plan changes, so it costs the plan's size, not the organisation's.
/// </summary>
public sealed record SeatUsage(int Before, int After, int Bought)
{
    public bool IsOver => After > Bought;

    /// <summary>Null when the account has no seat limit.</summary>
    public static SeatUsage? Of(PlanStates states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.After.SeatsBought is not int bought)
            return null;
        var before = states.Before.ActiveCount;
        var after = before;
        foreach (var id in states.ChangedBy.Keys)
            after += IsActive(states.After, id) - IsActive(states.Before, id);
        return new SeatUsage(before, after, bought);
    }

    /// <summary>The people the plan activates (new, or inactive before), in plan order.</summary>
    public static IEnumerable<Person> Activated(PlanStates states)
    {
        ArgumentNullException.ThrowIfNull(states);
        return states.ChangedBy.Keys
            .Where(id => IsActive(states.After, id) == 1 && IsActive(states.Before, id) == 0)
            .Select(id => states.After.People[id]);
    }

    private static int IsActive(OrgSnapshot state, string id) => state.People.TryGetValue(id, out var person) && person.Active ? 1 : 0;
}
