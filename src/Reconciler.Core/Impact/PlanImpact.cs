namespace Reconciler.Core.Impact;

/// <summary>A plan in the support manager's terms: who gains or loses what, and which customers go unserved.</summary>
public sealed record PlanImpact(AccessImpact Access, CoverageImpact Coverage)
{
    public bool IsEmpty => Access.IsEmpty && Coverage.IsEmpty;

    public static PlanImpact Of(PlanStates states)
    {
        ArgumentNullException.ThrowIfNull(states);
        return new PlanImpact(
            AccessImpact.Of(states.Before, states.After),
            CoverageImpact.Of(CoverageCalculator.Of(states.Before), CoverageCalculator.Of(states.After)));
    }
}
