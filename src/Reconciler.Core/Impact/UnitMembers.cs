using System.Runtime.InteropServices;

namespace Reconciler.Core.Impact;

/// <summary>
/// The people of each business unit of a snapshot, in the snapshot's order, found in one pass over the people: a scan of
/// every person per unit made a 10,000-agent plan's impact review quadratic.
/// </summary>
internal static class UnitMembers
{
    private static readonly IReadOnlyList<Person> None = [];

    /// <summary>The members of every unit, by unit id; a unit nobody belongs to is absent.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Person>> Of(OrgSnapshot state)
    {
        var members = new Dictionary<string, List<Person>>(StringComparer.Ordinal);
        foreach (var person in state.People.Values)
        {
            foreach (var unitId in person.UnitIds.Distinct(StringComparer.Ordinal))
                (CollectionsMarshal.GetValueRefOrAddDefault(members, unitId, out _) ??= []).Add(person);
        }

        return members.ToDictionary(m => m.Key, m => (IReadOnlyList<Person>)m.Value, StringComparer.Ordinal);
    }

    /// <summary>The members of one unit, or none.</summary>
    public static IReadOnlyList<Person> In(this IReadOnlyDictionary<string, IReadOnlyList<Person>> members, UnitInfo unit) =>
        members.GetValueOrDefault(unit.Id) ?? None;
}
