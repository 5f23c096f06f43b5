using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Core.Impact;

namespace Reconciler.Core.Guards;

/// <summary>
/// Refuses a plan that leaves a business unit that had active agents with none (and with it anything routed to the
/// unit), or leaves active agents reporting to a supervisor who is deactivated or deleted.
/// </summary>
public sealed class OrphansGuard : IPlanGuard
{
    public string Name => "orphans";

    /// <summary>
    /// Only a changed person can empty a unit (one they were in) or be newly left with an unavailable supervisor, and
    /// only a changed supervisor's reports can be left without one: the totals tell whether any is, else nothing is found.
    /// </summary>
    public IReadOnlyList<GuardViolation>? QuickCheck(GuardInput input)
    {
        var (before, after) = (input.Before, input.After);
        var units = BusinessUnitKind.Description.Collection!;
        foreach (var id in input.ChangedPeople)
        {
            var (was, now) = (before.PersonOf(id), after.PersonOf(id));
            if (was is { Active: true } && was.UnitIds.Any(u => before.Totals.ActiveMembersOf(u) > 0 && after.Totals.ActiveMembersOf(u) == 0 && before.FindById(units, u) is not null && after.FindById(units, u) is not null))
                return null;
            if (now is { Active: true, SupervisorId: { } supervisor } && !Available(after, supervisor)
                && !(was is { Active: true } && was.SupervisorId == supervisor && !Available(before, supervisor)))
                return null;
            if (Available(before, id) && !Available(after, id) && after.Totals.ActiveReportsOf(id) > 0)
                return null;
        }

        return [];
    }

    public IEnumerable<GuardViolation> Check(GuardInput input)
    {
        var (before, after) = (input.States.Before, input.States.After);
        var staffed = after.ActivePeople.SelectMany(p => p.UnitIds).ToHashSet(StringComparer.Ordinal);
        var hadBefore = before.ActivePeople.SelectMany(p => p.UnitIds).ToHashSet(StringComparer.Ordinal);
        foreach (var unit in after.Units.Values.Where(u => before.Units.ContainsKey(u.Id) && hadBefore.Contains(u.Id) && !staffed.Contains(u.Id)).OrderBy(u => u.Name, StringComparer.Ordinal))
        {
            var had = before.ActivePeople.Where(p => p.UnitIds.Contains(unit.Id)).ToList();
            var routed = after.Routes.Where(r => r.UnitId == unit.Id).Select(r => $"{r.Collection} {r.Key}").ToList();
            var also = routed.Count == 0 ? "" : $"; routed to it: {string.Join(", ", routed)}";
            yield return new GuardViolation(
                $"business unit {unit.Name} would have no active agent (was: {string.Join(", ", had.Select(p => p.Name))}){also}",
                [.. had.Select(p => input.States.AddressOf(p.Id)).Append(input.States.AddressOf(unit.Id)).OfType<ResourceId>().Distinct()]);
        }

        foreach (var person in after.ActivePeople.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (person.SupervisorId is not { } supervisor || Available(after, supervisor))
                continue;
            if (before.People.TryGetValue(person.Id, out var was) && was.Active && was.SupervisorId == supervisor && !Available(before, supervisor))
                continue;
            var name = before.People.GetValueOrDefault(supervisor)?.Name ?? after.People.GetValueOrDefault(supervisor)?.Name ?? supervisor;
            var state = after.People.ContainsKey(supervisor) ? "deactivated" : "deleted";
            yield return new GuardViolation(
                $"{person.Name} would report to {name}, who is {state}",
                [.. new[] { input.States.AddressOf(supervisor), input.States.AddressOf(person.Id) }.OfType<ResourceId>()]);
        }
    }

    private static bool Available(OrgSnapshot state, string id) => state.People.TryGetValue(id, out var p) && p.Active;

    private static bool Available(ObservedView state, string id) => state.PersonOf(id) is { Active: true };
}
