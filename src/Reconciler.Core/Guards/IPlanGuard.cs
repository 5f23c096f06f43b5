namespace Reconciler.Core.Guards;

/// <summary>
/// A check that refuses plans which would lock the organisation out or leave it unable to serve customers. A new guard
/// is one class in its own file, listed in <see cref="PlanGuards.All"/>. <see cref="Check"/> may read the whole
/// organisation before and after the plan (<see cref="GuardInput.States"/>, built on first use, O(organisation));
/// <see cref="QuickCheck"/> answers from the totals instead — <see cref="GuardInput.Before"/> and
/// <see cref="GuardInput.After"/> carry <see cref="Impact.OrgTotals"/> (active agents, admins, unit members, reports),
/// kept incrementally, and <see cref="GuardInput.Changed"/> names the few objects the plan touches — and returns null
/// when only the full check can tell. The operator plans one resource per reconcile, so a guard without a quick
/// answer costs O(organisation) per reconcile: give one (a count such as seats in use belongs in OrgTotals), and
/// extend the property test that proves the quick answers equal the full check.
/// </summary>
public interface IPlanGuard
{
    /// <summary>The name <c>--allow</c> takes.</summary>
    string Name { get; }

    /// <summary>The full check, over the whole organisation before and after the plan.</summary>
    IEnumerable<GuardViolation> Check(GuardInput input);

    /// <summary>What <see cref="Check"/> would find, answered from the totals and the changed objects; null when they cannot tell.</summary>
    IReadOnlyList<GuardViolation>? QuickCheck(GuardInput input) => null;
}
