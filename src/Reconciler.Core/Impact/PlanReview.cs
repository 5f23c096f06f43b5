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
        // The whole organisation before and after is built only when a guard or the impact needs it: the operator's
        // one-resource plans are answered from the totals, and so is the impact of a plan that changes nothing.
        var input = new GuardInput(observed, plan, desired, options.Guards);
        return plan with
        {
            Guards = PlanGuards.Evaluate(input),
            Impact = !options.IncludeImpact ? null : plan.Changes.Count == 0 ? PlanImpact.Unchanged(observed) : PlanImpact.Of(input.States),
        };
    }
}
