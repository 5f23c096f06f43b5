using Reconciler.Core.Engine;
using Reconciler.Core.Impact;

namespace Reconciler.Core.Guards;

/// <summary>What a guard sees: the organisation before and after the plan, the plan, the manifests and the policy.</summary>
public sealed record GuardInput(PlanStates States, Plan Plan, DesiredState Desired, GuardPolicy Policy);

/// <summary>A check that refuses plans which would lock the organisation out or leave it unable to serve customers.</summary>
public interface IPlanGuard
{
    /// <summary>The name <c>--allow</c> takes.</summary>
    string Name { get; }

    IEnumerable<GuardViolation> Check(GuardInput input);
}
