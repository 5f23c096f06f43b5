using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Reconciler.Core.Platform;

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

    /// <summary>
    /// The number of agents from which an organisation's totals are counted in parallel: each agent's JSON is read on
    /// its own, about a fifth of an unchanged 50,000-agent plan, while a few hundred are read before threads start.
    /// </summary>
    private const int ParallelFromAgents = 2000;

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
        var counter = new Counter(roles);
        foreach (var person in people)
        {
            if (person.Active)
                counter.Add(person.RoleId, person.UnitIds, person.SupervisorId);
        }

        return counter.Totals();
    }

    /// <summary>
    /// The totals of the agent objects of a whole organisation (distinct ids), as <see cref="Of(IEnumerable{Person}, IEnumerable{RoleInfo})"/>
    /// counts their people, read straight from the wire fields the totals need: an observation's view is built on every
    /// run, and reading each agent as a whole person allocated more than the rest of an unchanged plan.
    /// </summary>
    public static OrgTotals OfAgents(IEnumerable<PlatformObject> agents, IEnumerable<RoleInfo> roles)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var counter = new Counter(roles);
        if (agents is IReadOnlyList<PlatformObject> { Count: >= ParallelFromAgents } list && Environment.ProcessorCount > 1)
            CountInParallel(list, counter);
        else
            counter.AddAll(agents);
        return counter.Totals();
    }

    // A method of its own, so that a small organisation never loads System.Threading.Tasks.Parallel. The totals are
    // sums, so each thread counts a range on its own and the counts are added once it is done.
    private static void CountInParallel(IReadOnlyList<PlatformObject> agents, Counter counter)
    {
        var adding = new Lock();
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(0, agents.Count, Math.Max(256, agents.Count / (4 * Environment.ProcessorCount))),
            counter.Empty,
            (range, _, local) =>
            {
                local.AddAll(Range(agents, range.Item1, range.Item2));
                return local;
            },
            local =>
            {
                lock (adding)
                    counter.Add(local);
            });
    }

    private static IEnumerable<PlatformObject> Range(IReadOnlyList<PlatformObject> agents, int from, int to)
    {
        for (var i = from; i < to; i++)
            yield return agents[i];
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

    /// <summary>Counts active people one by one, for the totals of a whole organisation.</summary>
    private sealed class Counter
    {
        private readonly ImmutableHashSet<string> _adminRoles;
        private readonly Dictionary<string, int> _byRole = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _byUnit = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _reports = new(StringComparer.Ordinal);
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private int _active;
        private int _admins;

        public Counter(IEnumerable<RoleInfo> roles)
        {
            ArgumentNullException.ThrowIfNull(roles);
            var admin = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            foreach (var role in roles)
            {
                if (OrgSnapshot.AdminPermissions.IsSubsetOf(role.Permissions))
                    admin.Add(role.Id);
            }

            _adminRoles = admin.ToImmutable();
        }

        private Counter(ImmutableHashSet<string> adminRoles) => _adminRoles = adminRoles;

        /// <summary>A counter for the same roles with nothing counted yet.</summary>
        public Counter Empty() => new(_adminRoles);

        /// <summary>The active ones of <paramref name="agents"/>, read straight from the wire fields the totals need.</summary>
        public void AddAll(IEnumerable<PlatformObject> agents)
        {
            var units = new List<string>();
            foreach (var agent in agents)
            {
                using var json = agent.ReadJson();
                var fields = json.RootElement;
                if (!OrgSnapshot.IsActive(fields))
                    continue;
                units.Clear();
                OrgSnapshot.AddStrings(fields, "businessUnitIds"u8, units);
                Add(OrgSnapshot.Text(fields, "roleId"u8), units, OrgSnapshot.Text(fields, "supervisorId"u8));
            }
        }

        /// <summary>What <paramref name="other"/> counted (other people of the same organisation), added to this.</summary>
        public void Add(Counter other)
        {
            _active += other._active;
            _admins += other._admins;
            AddCounts(_byRole, other._byRole);
            AddCounts(_byUnit, other._byUnit);
            AddCounts(_reports, other._reports);
        }

        /// <summary>One active person: their role, the units they list (each once however often listed), their supervisor.</summary>
        public void Add(string? role, IReadOnlyList<string> units, string? supervisor)
        {
            _active++;
            if (role is not null)
            {
                Increment(_byRole, role);
                _admins += _adminRoles.Contains(role) ? 1 : 0;
            }

            if (units.Count == 1)
            {
                Increment(_byUnit, units[0]);
            }
            else if (units.Count > 1)
            {
                _seen.Clear();
                foreach (var unit in units)
                {
                    if (_seen.Add(unit))
                        Increment(_byUnit, unit);
                }
            }

            if (supervisor is not null)
                Increment(_reports, supervisor);
        }

        public OrgTotals Totals() => new()
        {
            ActiveAgents = _active,
            Admins = _admins,
            _adminRoles = _adminRoles,
            _activeByRole = _byRole.ToImmutableDictionary(StringComparer.Ordinal),
            _activeByUnit = _byUnit.ToImmutableDictionary(StringComparer.Ordinal),
            _activeReports = _reports.ToImmutableDictionary(StringComparer.Ordinal),
        };

        private static void Increment(Dictionary<string, int> counts, string key) =>
            CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _)++;

        private static void AddCounts(Dictionary<string, int> counts, Dictionary<string, int> more)
        {
            foreach (var (key, count) in more)
                CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _) += count;
        }
    }

    private static ImmutableDictionary<string, int> Add(ImmutableDictionary<string, int> counts, string key, int sign)
    {
        var count = counts.GetValueOrDefault(key) + sign;
        return count == 0 ? counts.Remove(key) : counts.SetItem(key, count);
    }
}
