using System.Collections.Immutable;

namespace Reconciler.Core.Impact;

/// <summary>
/// Counts over an organisation that guards compare before and after a plan (active agents, active admins, active
/// members per business unit, active reports per supervisor), kept as persistent maps: a change to one person or
/// role makes new totals in O(log n), sharing the rest, so the operator's per-resource plan never walks the whole
/// organisation to answer "is anyone left?".
/// </summary>
public sealed record OrgTotals
{
    public static readonly OrgTotals Empty = new();

    private ImmutableDictionary<string, int> _activeByRole = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);
    private ImmutableHashSet<string> _adminRoles = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    private ImmutableDictionary<string, int> _activeByUnit = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);
    private ImmutableDictionary<string, int> _activeReports = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);

    private OrgTotals()
    {
    }

    /// <summary>People whose account is active (what a seat is counted for).</summary>
    public int ActiveAgents { get; private init; }

    /// <summary>Active people whose role holds every one of <see cref="OrgSnapshot.AdminPermissions"/>, as <see cref="OrgSnapshot.Admins"/> counts them.</summary>
    public int Admins { get; private init; }

    /// <summary>Active people who list the unit (once each, however often they list it).</summary>
    public int ActiveMembersOf(string unitId) => _activeByUnit.GetValueOrDefault(unitId);

    /// <summary>Active people whose supervisor is <paramref name="personId"/>.</summary>
    public int ActiveReportsOf(string personId) => _activeReports.GetValueOrDefault(personId);

    /// <summary>The totals of a whole organisation (people and roles with distinct ids), counted in one pass.</summary>
    public static OrgTotals Of(IEnumerable<Person> people, IEnumerable<RoleInfo> roles)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(roles);
        var adminRoles = roles.Where(r => OrgSnapshot.AdminPermissions.IsSubsetOf(r.Permissions)).Select(r => r.Id).ToImmutableHashSet(StringComparer.Ordinal);
        var (active, admins) = (0, 0);
        var (byRole, byUnit, reports) = (new Dictionary<string, int>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal));
        foreach (var person in people.Where(p => p.Active))
        {
            active++;
            if (person.RoleId is { } role)
            {
                byRole[role] = byRole.GetValueOrDefault(role) + 1;
                admins += adminRoles.Contains(role) ? 1 : 0;
            }

            foreach (var unit in person.UnitIds.Distinct(StringComparer.Ordinal))
                byUnit[unit] = byUnit.GetValueOrDefault(unit) + 1;
            if (person.SupervisorId is { } supervisor)
                reports[supervisor] = reports.GetValueOrDefault(supervisor) + 1;
        }

        return new OrgTotals
        {
            ActiveAgents = active,
            Admins = admins,
            _adminRoles = adminRoles,
            _activeByRole = byRole.ToImmutableDictionary(StringComparer.Ordinal),
            _activeByUnit = byUnit.ToImmutableDictionary(StringComparer.Ordinal),
            _activeReports = reports.ToImmutableDictionary(StringComparer.Ordinal),
        };
    }

    /// <summary>The totals after one person changed (null: absent before or after).</summary>
    public OrgTotals WithPerson(Person? was, Person? now)
    {
        var next = this;
        if (was is { Active: true })
            next = next.Count(was, -1);
        if (now is { Active: true })
            next = next.Count(now, +1);
        return next;
    }

    /// <summary>The totals after one role changed (null: absent before or after); its active holders gain or lose admin.</summary>
    public OrgTotals WithRole(RoleInfo? was, RoleInfo? now)
    {
        var id = was?.Id ?? now?.Id;
        if (id is null)
            return this;
        var wasAdmin = was is not null && OrgSnapshot.AdminPermissions.IsSubsetOf(was.Permissions);
        var isAdmin = now is not null && OrgSnapshot.AdminPermissions.IsSubsetOf(now.Permissions);
        if (wasAdmin == isAdmin)
            return this;
        var holders = _activeByRole.GetValueOrDefault(id);
        return this with
        {
            _adminRoles = isAdmin ? _adminRoles.Add(id) : _adminRoles.Remove(id),
            Admins = Admins + (isAdmin ? holders : -holders),
        };
    }

    private OrgTotals Count(Person person, int sign)
    {
        var byUnit = _activeByUnit;
        foreach (var unit in person.UnitIds.Distinct(StringComparer.Ordinal))
            byUnit = Add(byUnit, unit, sign);
        return this with
        {
            ActiveAgents = ActiveAgents + sign,
            Admins = Admins + (person.RoleId is { } role && _adminRoles.Contains(role) ? sign : 0),
            _activeByRole = person.RoleId is { } held ? Add(_activeByRole, held, sign) : _activeByRole,
            _activeByUnit = byUnit,
            _activeReports = person.SupervisorId is { } supervisor ? Add(_activeReports, supervisor, sign) : _activeReports,
        };
    }

    private static ImmutableDictionary<string, int> Add(ImmutableDictionary<string, int> counts, string key, int sign)
    {
        var count = counts.GetValueOrDefault(key) + sign;
        return count == 0 ? counts.Remove(key) : counts.SetItem(key, count);
    }
}
