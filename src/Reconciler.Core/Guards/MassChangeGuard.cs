using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using System.Globalization;
using Reconciler.Core.Impact;

namespace Reconciler.Core.Guards;

/// <summary>
/// Refuses a run that deactivates, deletes or demotes (moves to a role with fewer permissions) more than
/// <see cref="GuardPolicy.MaxRemovalFraction"/> of the active agents, whatever the delete limit allows.
/// </summary>
public sealed class MassChangeGuard : IPlanGuard
{
    public string Name => "mass-change";

    /// <summary>Only the people the plan changes can be removed or demoted: counted against the active total, named only when too many.</summary>
    public IReadOnlyList<GuardViolation>? QuickCheck(GuardInput input)
    {
        var active = input.Before.Totals.ActiveAgents;
        if (active == 0)
            return [];
        var removed = input.ChangedPeople.Count(id => input.Before.PersonOf(id) is { Active: true } person && IsRemovedOrDemoted(input.Before, input.After, person));
        return removed <= Limit(input, active) ? [] : null;
    }

    public IEnumerable<GuardViolation> Check(GuardInput input)
    {
        var (before, after) = (input.States.Before, input.States.After);
        var active = before.ActivePeople.ToList();
        if (active.Count == 0)
            yield break;
        var removed = active.Where(p => IsRemovedOrDemoted(before, after, p)).ToList();
        var limit = Limit(input, active.Count);
        if (removed.Count <= limit)
            yield break;
        var who = string.Join(", ", removed.Take(10).Select(p => $"{p.Name} ({AdminsGuard.Why(input.States, p)})")) + (removed.Count > 10 ? ", …" : "");
        yield return new GuardViolation(
            string.Create(CultureInfo.InvariantCulture, $"the plan deactivates, deletes or demotes {removed.Count} of {active.Count} active agents, more than maxRemovalFraction {input.Policy.MaxRemovalFraction:0.##} allows ({limit:0}): {who}"),
            [.. removed.Select(p => input.States.AddressOf(p.Id)).OfType<ResourceId>().Distinct()]);
    }

    // One person leaving is never a mass change, however small the organisation (the operator plans one resource at a time).
    private static double Limit(GuardInput input, int active) => Math.Max(1, Math.Floor(input.Policy.MaxRemovalFraction * active));

    private static bool IsRemovedOrDemoted(OrgSnapshot before, OrgSnapshot after, Person person)
    {
        if (!after.People.TryGetValue(person.Id, out var now) || !now.Active)
            return true;
        return now.RoleId != person.RoleId && !before.PermissionsOf(person).IsSubsetOf(after.PermissionsOf(now));
    }

    /// <summary>The same test on the views: a person's permissions are their role's while active.</summary>
    private static bool IsRemovedOrDemoted(ObservedView before, ObservedView after, Person person)
    {
        if (after.PersonOf(person.Id) is not { Active: true } now)
            return true;
        return now.RoleId != person.RoleId && !PermissionsOf(before, person).IsSubsetOf(PermissionsOf(after, now));
    }

    private static IReadOnlySet<string> PermissionsOf(ObservedView state, Person person) =>
        person.Active && person.RoleId is { } role && state.RoleOf(role) is { } info ? info.Permissions : new HashSet<string>();
}
