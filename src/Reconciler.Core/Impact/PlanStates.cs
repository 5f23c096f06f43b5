using Reconciler.Core.Resources;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;

namespace Reconciler.Core.Impact;

/// <summary>The organisation before a plan (as observed) and after it (the observation with the plan's changes applied), and which change touched which object.</summary>
public sealed record PlanStates(OrgSnapshot Before, OrgSnapshot After, IReadOnlyDictionary<string, ResourceId> ChangedBy)
{
    public static PlanStates Of(ObservedState observed, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(plan);
        var after = observed.Collections.ToDictionary(c => c.Key, c => ById(c.Value), StringComparer.Ordinal);
        var organization = observed.Organization?.Fields;
        var changedBy = new Dictionary<string, ResourceId>(StringComparer.Ordinal);
        foreach (var change in plan.Changes)
        {
            var id = change.ObjectId ?? MappingContext.PendingId(change.Address);
            changedBy[id] = change.Address;
            if (KindMappers.ForKind(change.Address.Kind) is { IsSingleton: true })
            {
                organization = Overlay(organization, change.Wanted);
                continue;
            }

            var objects = after.TryGetValue(change.Collection, out var existing) ? existing : after[change.Collection] = new(StringComparer.Ordinal);
            objects.Remove(id);
            if (change.Action != ChangeAction.Delete)
                objects[id] = new PlatformObject(id, change.Key, 0, new Dictionary<string, string>(), Overlay(change.Observed?.Fields, change.Wanted));
        }

        return new PlanStates(
            OrgSnapshot.From(observed.Collections, observed.Organization?.Fields),
            OrgSnapshot.From(after.ToDictionary(c => c.Key, c => (IReadOnlyList<PlatformObject>)[.. c.Value.Values], StringComparer.Ordinal), organization),
            changedBy);
    }

    /// <summary>
    /// The observation with the plan's changes applied, as <see cref="Of"/> applies them, but persistent: O(changes),
    /// sharing the rest of <paramref name="before"/>.
    /// </summary>
    public static ObservedView ViewAfter(ObservedView before, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(plan);
        var after = before;
        foreach (var change in plan.Changes)
        {
            var id = change.ObjectId ?? MappingContext.PendingId(change.Address);
            if (KindMappers.ForKind(change.Address.Kind) is { IsSingleton: true })
            {
                after = after.WithOrganization(new PlatformObject(after.Organization?.Id ?? id, change.Key, 0, new Dictionary<string, string>(), Overlay(after.Organization?.Fields, change.Wanted)));
                continue;
            }

            after = after.WithCollection(change.Collection).Without(change.Collection, id);
            if (change.Action != ChangeAction.Delete)
                after = after.With(change.Collection, new PlatformObject(id, change.Key, 0, new Dictionary<string, string>(), Overlay(change.Observed?.Fields, change.Wanted)));
        }

        return after;
    }

    /// <summary>The address of the change that touched an object, if one did.</summary>
    public ResourceId? AddressOf(string objectId) => ChangedBy.TryGetValue(objectId, out var address) ? address : null;

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
