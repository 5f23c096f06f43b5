using Reconciler.Core.Engine;
using Reconciler.Core.Guards;

namespace Reconciler.Core.Impact;

/// <summary>Adds to a computed plan what a reviewer needs before anything is written: the guards' findings and the impact.</summary>
public static class PlanReview
{
    public static Plan Review(Plan plan, DesiredState desired, ObservedState observed, PlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var states = PlanStates.Of(observed, plan);
        return plan with
        {
            Guards = PlanGuards.Evaluate(states, plan, desired, options.Guards),
            Impact = options.IncludeImpact ? PlanImpact.Of(states) : null,
        };
    }
}
