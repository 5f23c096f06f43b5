namespace Reconciler.Core.Impact;

/// <summary>Whether people gain or lose the permissions of an <see cref="AccessGroup"/>.</summary>
public enum AccessDirection
{
    Gain,
    Lose,
}

/// <summary>People who gain or lose the same permissions for the same cause ("12 agents lose inbox.assign because role agent changed").</summary>
/// <param name="Direction">Gained or lost.</param>
/// <param name="Permissions">The permissions, by name; empty when <paramref name="All"/>.</param>
/// <param name="Cause">Why: <c>role `agent` changed</c>, <c>role changed from `agent` to `supervisor`</c>, <c>deactivated</c>, <c>deleted</c>, <c>activated</c>, <c>created</c>.</param>
/// <param name="People">Display names.</param>
/// <param name="All">Every permission the people had (or get): listed by count, not name.</param>
public sealed record AccessGroup(AccessDirection Direction, IReadOnlyList<string> Permissions, string Cause, IReadOnlyList<string> People, bool All);

/// <summary>Who gains or loses what, and the admins the plan adds and removes.</summary>
public sealed record AccessImpact(IReadOnlyList<AccessGroup> Groups, IReadOnlyList<string> NewAdmins, IReadOnlyList<string> RemovedAdmins)
{
    /// <summary>Nobody gains or loses anything.</summary>
    public static readonly AccessImpact None = new([], [], []);

    public bool IsEmpty => Groups.Count == 0 && NewAdmins.Count == 0 && RemovedAdmins.Count == 0;

    public static AccessImpact Of(OrgSnapshot before, OrgSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var rows = new List<(AccessDirection Direction, string Permission, string Cause, string Person, bool All)>();
        foreach (var id in before.People.Keys.Union(after.People.Keys).Order(StringComparer.Ordinal))
        {
            var was = before.People.GetValueOrDefault(id);
            var now = after.People.GetValueOrDefault(id);
            var had = was is null ? new HashSet<string>() : before.PermissionsOf(was);
            var has = now is null ? new HashSet<string>() : after.PermissionsOf(now);

            // Most people keep their role's very set (an unchanged role is read once for both sides): nothing gained or lost, no sets built to say so.
            if (ReferenceEquals(had, has) || (had.Count == has.Count && had.SetEquals(has)))
                continue;
            var person = (now ?? was)!;
            var cause = Cause(before, after, was, now);

            // Gaining or losing everything is listed by count, not by permission: one row says it (a first apply's every agent).
            if (had.Count == 0 || has.Count == 0)
            {
                rows.Add((had.Count == 0 ? AccessDirection.Gain : AccessDirection.Lose, "", cause, person.Name, true));
                continue;
            }

            rows.AddRange(has.Except(had).Select(p => (AccessDirection.Gain, p, cause, person.Name, false)));
            rows.AddRange(had.Except(has).Select(p => (AccessDirection.Lose, p, cause, person.Name, false)));
        }

        // People with the same cause and the same permission list form one group; those gaining or losing everything are listed by count.
        var groups = rows
            .GroupBy(r => (r.Direction, r.Cause, r.Person, r.All))
            .Select(g => (g.Key, Permissions: g.Select(r => r.Permission).Order(StringComparer.Ordinal).ToList()))
            .GroupBy(p => (p.Key.Direction, p.Key.Cause, p.Key.All, Permissions: p.Key.All ? "" : string.Join(',', p.Permissions)))
            .Select(g => new AccessGroup(
                g.Key.Direction,
                g.Key.All ? [] : g.First().Permissions,
                g.Key.Cause,
                [.. g.Select(p => p.Key.Person).Order(StringComparer.Ordinal)],
                g.Key.All))
            .OrderBy(g => g.Cause, StringComparer.Ordinal)
            .ThenBy(g => g.Direction)
            .ToList();

        var adminsBefore = before.Admins.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var adminsAfter = after.Admins.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        return new AccessImpact(
            groups,
            [.. after.Admins.Where(p => !adminsBefore.Contains(p.Id)).Select(p => p.Name).Order(StringComparer.Ordinal)],
            [.. before.Admins.Where(p => !adminsAfter.Contains(p.Id)).Select(p => p.Name).Order(StringComparer.Ordinal)]);
    }

    private static string Cause(OrgSnapshot before, OrgSnapshot after, Person? was, Person? now)
    {
        if (was is null)
            return "created";
        if (now is null)
            return "deleted";
        if (was.Active && !now.Active)
            return "deactivated";
        if (!was.Active && now.Active)
            return "activated";
        return was.RoleId != now.RoleId
            ? $"role changed from `{before.RoleName(was.RoleId)}` to `{after.RoleName(now.RoleId)}`"
            : $"role `{after.RoleName(now.RoleId)}` changed";
    }
}
