using Reconciler.Core.Engine;
using Reconciler.Core.Impact;
using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Guards;

/// <summary>
/// What a guard sees: the plan, the manifests and the policy; the organisation before and after the plan as persistent
/// views with their totals (cheap), and as whole snapshots (<see cref="States"/>, built on first use).
/// </summary>
public sealed class GuardInput
{
    private readonly ObservedState _observed;
    private PlanStates? _states;
    private ObservedView? _after;
    private PlanStates.AppliedPlan? _applied;

    public GuardInput(ObservedState observed, Plan plan, DesiredState desired, GuardPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(plan);
        _observed = observed;
        Plan = plan;
        Desired = desired;
        Policy = policy;
    }

    public Plan Plan { get; }

    public DesiredState Desired { get; }

    public GuardPolicy Policy { get; }

    /// <summary>The organisation as observed.</summary>
    public ObservedView Before => _observed.View;

    /// <summary>The observation with the plan's changes applied (created objects under their pending ids).</summary>
    public ObservedView After => _after ??= PlanStates.IsBuiltWhole(Before, Plan) ? Applied.View : PlanStates.ViewAfter(Before, Plan, whole: false);

    /// <summary>The whole organisation before and after; O(organisation), built on first use.</summary>
    public PlanStates States => _states ??= PlanStates.Of(_observed, Plan, Applied);

    // One application of the plan for both the whole after view and the after snapshot: a first apply's guards and impact each built it.
    private PlanStates.AppliedPlan Applied => _applied ??= PlanStates.AppliedPlan.Of(_observed, Plan);

    /// <summary>Whether a guard asked for <see cref="States"/>: what the quick answers exist to avoid.</summary>
    internal bool HasWholeOrganisation => _states is not null;

    /// <summary>Ids (platform or pending) of the objects of a collection the plan creates, changes or deletes.</summary>
    public IEnumerable<string> Changed(string collection) =>
        Plan.Changes.Where(c => c.Collection == collection && KindMappers.ForKind(c.Address.Kind) is { IsSingleton: false })
            .Select(c => c.ObjectId ?? MappingContext.PendingId(c.Address))
            .Distinct(StringComparer.Ordinal);

    /// <summary>The ids of the people the plan changes, as <see cref="Changed"/> gives them.</summary>
    public IEnumerable<string> ChangedPeople => Changed(AgentKind.Description.Collection!);
}
