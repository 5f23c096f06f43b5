using Reconciler.Core.Engine;

namespace Reconciler.Core.Impact;

/// <summary>A plan in the support manager's terms: who gains or loses what, and which customers go unserved.</summary>
public sealed record PlanImpact(AccessImpact Access, CoverageImpact Coverage)
{
    public bool IsEmpty => Access.IsEmpty && Coverage.IsEmpty && Seats is null;

    /// <summary>Seats in use before and after the plan; null when the account has no seat limit.</summary>
    public SeatUsage? Seats { get; init; }

    /// <summary>
    /// The impact of a plan that changes nothing: no access or coverage moves, seats as observed. What <see cref="Of"/>
    /// gives for it, from the observation's totals instead of the whole organisation before and after.
    /// </summary>
    public static PlanImpact Unchanged(ObservedState observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var active = observed.View.Totals.ActiveAgents;
        return new PlanImpact(AccessImpact.None, CoverageImpact.None)
        {
            Seats = OrgSnapshot.SeatsBoughtOf(observed.Organization?.Fields) is int bought ? new SeatUsage(active, active, bought) : null,
        };
    }

    public static PlanImpact Of(PlanStates states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var languages = Languages(states.Before).Concat(Languages(states.After))
            .GroupBy(l => l.Unit, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.SelectMany(l => l.Languages)], StringComparer.Ordinal);
        return new PlanImpact(
            AccessImpact.Of(states.Before, states.After),
            CoverageImpact.Of(CoverageCalculator.Of(states.Before, languages), CoverageCalculator.Of(states.After, languages)))
        {
            Seats = SeatUsage.Of(states),
        };
    }

    private static IEnumerable<(string Unit, IEnumerable<string> Languages)> Languages(OrgSnapshot state)
    {
        var membership = UnitMembers.Of(state);
        return state.Units.Values.Select(u => (u.Name, membership.In(u).SelectMany(p => p.Languages)));
    }
}
