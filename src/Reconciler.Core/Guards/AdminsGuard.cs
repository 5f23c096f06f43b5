using Reconciler.Core.Resources;
using System.Globalization;
using Reconciler.Core.Impact;

namespace Reconciler.Core.Guards;

/// <summary>
/// Refuses a plan that leaves fewer active admins than <see cref="GuardPolicy.MinAdmins"/> (never zero) when it lowers
/// their number; an organisation already below the minimum is warned about, without refusing unrelated changes.
/// </summary>
public sealed class AdminsGuard : IPlanGuard
{
    public string Name => "admins";

    /// <summary>Only a plan that lowers the count below the minimum needs the names of the admins it loses.</summary>
    public IReadOnlyList<GuardViolation>? QuickCheck(GuardInput input)
    {
        var (was, now) = (input.Before.Totals.Admins, input.After.Totals.Admins);
        var minimum = Math.Max(1, input.Policy.MinAdmins);
        if (now >= minimum)
            return [];
        return now >= was ? [BelowMinimum(now, minimum)] : null;
    }

    public IEnumerable<GuardViolation> Check(GuardInput input)
    {
        var (before, after) = (input.States.Before, input.States.After);
        var was = before.Admins.ToList();
        var now = after.Admins.ToList();
        var minimum = Math.Max(1, input.Policy.MinAdmins);
        if (now.Count >= minimum)
            yield break;
        var lost = was.Where(p => !now.Any(n => n.Id == p.Id)).ToList();
        if (now.Count >= was.Count || lost.Count == 0)
        {
            yield return BelowMinimum(now.Count, minimum);
            yield break;
        }

        var resources = lost.Select(p => input.States.AddressOf(p.Id) ?? RoleChange(input, before, p)).OfType<ResourceId>().Distinct().ToList();
        var who = string.Join(", ", lost.Select(p => $"{p.Name} ({Why(input.States, p)})"));
        yield return new GuardViolation(
            string.Create(CultureInfo.InvariantCulture, $"the plan leaves {Count(now.Count)} (minAdmins {minimum}): {who} would no longer administer the organisation"),
            resources);
    }

    /// <summary>The organisation was already short of admins and the plan does not make it worse: a warning.</summary>
    private static GuardViolation BelowMinimum(int admins, int minimum) =>
        new(string.Create(CultureInfo.InvariantCulture, $"the organisation has {Count(admins)}, fewer than minAdmins {minimum}"), [], WarningOnly: true);

    private static string Count(int admins) => admins == 1 ? "1 active admin" : string.Create(CultureInfo.InvariantCulture, $"{admins} active admins");

    /// <summary>The role edit that took an admin's permissions away, when the person was not changed themselves.</summary>
    private static ResourceId? RoleChange(GuardInput input, OrgSnapshot before, Person person) =>
        person.RoleId is { } role && before.Roles.ContainsKey(role) ? input.States.AddressOf(role) : null;

    internal static string Why(PlanStates states, Person person)
    {
        if (!states.After.People.TryGetValue(person.Id, out var now))
            return "deleted";
        if (!now.Active)
            return "deactivated";
        if (now.RoleId != person.RoleId)
            return $"role {states.Before.RoleName(person.RoleId)} -> {states.After.RoleName(now.RoleId)}";
        return $"role {states.After.RoleName(now.RoleId)} changed";
    }
}
