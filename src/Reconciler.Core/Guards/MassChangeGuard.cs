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

    public IEnumerable<GuardViolation> Check(GuardInput input)
    {
        var (before, after) = (input.States.Before, input.States.After);
        var active = before.ActivePeople.ToList();
        if (active.Count == 0)
            yield break;
        var removed = active.Where(p => IsRemovedOrDemoted(before, after, p)).ToList();
        // One person leaving is never a mass change, however small the organisation (the operator plans one resource at a time).
        var limit = Math.Max(1, Math.Floor(input.Policy.MaxRemovalFraction * active.Count));
        if (removed.Count <= limit)
            yield break;
        var who = string.Join(", ", removed.Take(10).Select(p => $"{p.Name} ({AdminsGuard.Why(input.States, p)})")) + (removed.Count > 10 ? ", …" : "");
        yield return new GuardViolation(
            string.Create(CultureInfo.InvariantCulture, $"the plan deactivates, deletes or demotes {removed.Count} of {active.Count} active agents, more than maxRemovalFraction {input.Policy.MaxRemovalFraction:0.##} allows ({limit:0}): {who}"),
            [.. removed.Select(p => input.States.AddressOf(p.Id)).OfType<ResourceId>().Distinct()]);
    }

    private static bool IsRemovedOrDemoted(OrgSnapshot before, OrgSnapshot after, Person person)
    {
        if (!after.People.TryGetValue(person.Id, out var now) || !now.Active)
            return true;
        return now.RoleId != person.RoleId && !before.PermissionsOf(person).IsSubsetOf(after.PermissionsOf(now));
    }
}
