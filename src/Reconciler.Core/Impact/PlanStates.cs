using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Impact;

/// <summary>The organisation before a plan (as observed) and after it (the observation with the plan's changes applied), and which change touched which object.</summary>
public sealed record PlanStates(OrgSnapshot Before, OrgSnapshot After, IReadOnlyDictionary<string, ResourceId> ChangedBy)
{
    public static PlanStates Of(ObservedState observed, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(plan);
        return Of(observed, plan, AppliedPlan.Of(observed, plan));
    }

    /// <summary>As <see cref="Of(ObservedState, Plan)"/>, from the plan's changes already applied to <paramref name="observed"/>.</summary>
    internal static PlanStates Of(ObservedState observed, Plan plan, AppliedPlan after)
    {
        var changedBy = new Dictionary<string, ResourceId>(StringComparer.Ordinal);
        foreach (var change in plan.Changes)
            changedBy[IdOf(change)] = change.Address;

        return new PlanStates(
            OrgSnapshot.From(observed.Collections, observed.Organization?.Fields),
            OrgSnapshot.From(after.Collections, after.Organization?.Fields),
            changedBy);
    }

    /// <summary>
    /// The observation with the plan's changes applied, as <see cref="Of(ObservedState, Plan)"/> applies them, as a view: for a plan that
    /// changes a small part of the organisation O(changes), sharing the rest of <paramref name="before"/>.
    /// </summary>
    public static ObservedView ViewAfter(ObservedView before, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(plan);

        return ViewAfter(before, plan, whole: IsBuiltWhole(before, plan));
    }

    /// <summary>
    /// Whether the view after <paramref name="plan"/> is built whole from <see cref="AppliedPlan"/> rather than change by change.
    /// </summary>
    /// <remarks>
    /// A change costs O(log n) here and shares the rest; a plan that changes much of the organisation (a first apply
    /// creates all of it) is cheaper built whole, as a list pass is. The two differ only where objects of a collection
    /// share a key (the platform's uniqueness rules prevent it): built whole, deleting one leaves the other findable.
    /// </remarks>
    internal static bool IsBuiltWhole(ObservedView before, Plan plan) =>
        plan.Changes.Count > WholeBuildThreshold && plan.Changes.Count > before.CollectionNames.Sum(before.CountOf) / 4;

    /// <summary>As <see cref="ViewAfter(ObservedView, Plan)"/>, built <paramref name="whole"/> or change by change.</summary>
    internal static ObservedView ViewAfter(ObservedView before, Plan plan, bool whole)
    {
        if (whole)
            return AppliedPlan.Of(before.ToObservedState(), plan).View;

        var after = before;
        foreach (var change in plan.Changes)
        {
            var id = IdOf(change);
            if (KindMappers.ForKind(change.Address.Kind) is { IsSingleton: true })
            {
                after = after.WithOrganization(OrganizationAfter(after.Organization, change));
                continue;
            }

            after = after.WithCollection(change.Collection).Without(change.Collection, id);
            if (change.Action != ChangeAction.Delete)
                after = after.With(change.Collection, ObjectAfter(id, change));
        }

        return after;
    }

    /// <summary>The address of the change that touched an object, if one did.</summary>
    public ResourceId? AddressOf(string objectId) => ChangedBy.TryGetValue(objectId, out var address) ? address : null;

    /// <summary>Plans with up to this many changes are always applied change by change (the operator plans one resource).</summary>
    private const int WholeBuildThreshold = 64;

    /// <summary>
    /// The observation's collections and organisation profile with the plan's changes applied in plan order: what the
    /// whole after view and the after snapshot are both built from, once for a plan that needs both.
    /// </summary>
    internal sealed class AppliedPlan
    {
        private ObservedView? _view;

        private AppliedPlan(Dictionary<string, IReadOnlyList<PlatformObject>> collections, PlatformObject? organization)
        {
            Collections = collections;
            Organization = organization;
        }

        public Dictionary<string, IReadOnlyList<PlatformObject>> Collections { get; }

        public PlatformObject? Organization { get; }

        /// <summary>The after state as a view, built whole on first use; it shares this state's objects, so what is read from them once (a person) is read once for both.</summary>
        public ObservedView View => _view ??= ObservedView.From(Collections, Organization);

        public static AppliedPlan Of(ObservedState observed, Plan plan)
        {
            var after = observed.Collections.ToDictionary(c => c.Key, c => ById(c.Value), StringComparer.Ordinal);
            var organization = observed.Organization;
            foreach (var change in plan.Changes)
            {
                var id = IdOf(change);
                if (KindMappers.ForKind(change.Address.Kind) is { IsSingleton: true })
                {
                    organization = OrganizationAfter(organization, change);
                    continue;
                }

                var objects = after.TryGetValue(change.Collection, out var existing) ? existing : after[change.Collection] = new(StringComparer.Ordinal);
                objects.Remove(id);
                if (change.Action != ChangeAction.Delete)
                    objects[id] = ObjectAfter(id, change);
            }

            return new(after.ToDictionary(c => c.Key, c => (IReadOnlyList<PlatformObject>)[.. c.Value.Values], StringComparer.Ordinal), organization);
        }
    }

    private static string IdOf(PlannedChange change) => change.ObjectId ?? MappingContext.PendingId(change.Address);

    /// <summary>
    /// An object as the change leaves it, its fields kept as JSON like an observed object's: the totals and snapshots
    /// read every person's fields in place, and a first apply's after state holds the whole organisation.
    /// </summary>
    private static PlatformObject ObjectAfter(string id, PlannedChange change) =>
        new(id, change.Key, 0, new Dictionary<string, string>(), JsonSerializer.SerializeToUtf8Bytes(change.Observed is null ? change.Wanted ?? [] : Overlay(change.Observed.Fields, change.Wanted), WireJsonContext.Default.JsonObject));

    private static PlatformObject OrganizationAfter(PlatformObject? organization, PlannedChange change) =>
        new(organization?.Id ?? IdOf(change), change.Key, 0, new Dictionary<string, string>(), Overlay(organization?.Fields, change.Wanted));

    private static Dictionary<string, PlatformObject> ById(IReadOnlyList<PlatformObject> objects)
    {
        var byId = new Dictionary<string, PlatformObject>(objects.Count, StringComparer.Ordinal);
        foreach (var o in objects)
            byId[o.Id] = o;
        return byId;
    }

    private static JsonObject Overlay(JsonObject? observed, JsonObject? wanted)
    {
        var result = observed?.DeepClone().AsObject() ?? [];
        foreach (var (name, value) in wanted ?? [])
            result[name] = value?.DeepClone();
        return result;
    }
}
