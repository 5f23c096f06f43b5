using System.Globalization;
using Reconciler.Core.Engine;
using Reconciler.Core.Guards;

namespace Reconciler.Core.Impact;

/// <summary>The guards' findings and the impact as sentences, shared by the text and Markdown plans.</summary>
public static class PlanReviewText
{
    private const int NamesShown = 10;

    /// <summary>One line per finding: verdict, guard, message, the resources that trip it and the override.</summary>
    public static IEnumerable<string> GuardLines(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var finding in plan.Guards.OrderBy(g => g.Verdict))
            yield return Line(finding);
    }

    public static string Line(GuardFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var resources = ResourceList(finding);
        return finding.Verdict switch
        {
            GuardVerdict.Refused => $"Refused by guard {finding.Guard}: {finding.Message}{resources}; to allow it: {finding.Override}",
            GuardVerdict.Allowed => $"Allowed (guard {finding.Guard} overridden): {finding.Message}{resources}",
            _ => $"Warning (guard {finding.Guard}): {finding.Message}",
        };
    }

    /// <summary>
    /// The resources that trip a finding, as " [a, b, …]" after its message: the first few by address, then how many more,
    /// so a refusal of thousands stays one readable line (the JSON plan lists them all).
    /// </summary>
    public static string ResourceList(GuardFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Resources.Count == 0 ? "" : $" [{Names([.. finding.Resources.Take(NamesShown).Select(r => r.ToString())], finding.Resources.Count)}]";
    }

    public static IEnumerable<string> AccessLines(AccessImpact access)
    {
        ArgumentNullException.ThrowIfNull(access);
        foreach (var group in access.Groups)
        {
            var one = group.People.Count == 1;
            var subject = one ? group.People[0] : string.Create(CultureInfo.InvariantCulture, $"{group.People.Count} agents");
            var verb = (group.Direction, one) switch
            {
                (AccessDirection.Gain, true) => "gains",
                (AccessDirection.Gain, false) => "gain",
                (_, true) => "loses",
                _ => "lose",
            };
            var who = one ? "" : ": " + Names(group.People);

            // Not "all access": a reviewer reads that as an administrator's, and a new agent of a plain role gets only that role's.
            var whole = group.Direction == AccessDirection.Gain ? (one ? "their role's access" : "their roles' access") : "all their access";
            yield return group.All
                ? $"{subject} {verb} {whole} ({group.Cause}){who}"
                : $"{subject} {verb} {string.Join(", ", group.Permissions.Select(p => $"`{p}`"))} because {group.Cause}{who}";
        }

        if (access.NewAdmins.Count > 0)
            yield return $"New admins: {Names(access.NewAdmins)}";
        if (access.RemovedAdmins.Count > 0)
            yield return $"No longer admins: {Names(access.RemovedAdmins)}";
    }

    public static IEnumerable<string> CoverageLines(CoverageImpact coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        // The intervals of one unit and language that the same people served read as one sentence.
        foreach (var gaps in coverage.Opened.GroupBy(g => (g.UnitDisplayName, g.Language, g.TimeZone, Agents: string.Join(", ", g.Agents))))
        {
            var was = gaps.Key.Agents.Length == 0 ? "new opening hours" : "was: " + Names([.. gaps.First().Agents]);
            yield return $"Gap opened: {gaps.Key.UnitDisplayName}: no L1 agent speaking {gaps.Key.Language} on {string.Join(", ", gaps.Select(g => g.Slot))} {gaps.Key.TimeZone} ({was})";
        }

        foreach (var gaps in coverage.Closed.GroupBy(g => (g.UnitDisplayName, g.Language, g.TimeZone, Agents: string.Join(", ", g.Agents))))
            yield return $"Gap closed: {gaps.Key.UnitDisplayName}: {gaps.Key.Language} on {string.Join(", ", gaps.Select(g => g.Slot))} {gaps.Key.TimeZone} now served by {Names([.. gaps.First().Agents])}";
        foreach (var change in coverage.Capacity)
            yield return string.Create(CultureInfo.InvariantCulture, $"Capacity: {change.UnitDisplayName}: {change.Before} -> {change.After} concurrent chats");
    }

    /// <summary>Seats in use against seats bought, and what the plan makes of them.</summary>
    public static IEnumerable<string> SeatLines(SeatUsage? seats)
    {
        if (seats is null)
            yield break;
        var used = seats.After == seats.Before
            ? string.Create(CultureInfo.InvariantCulture, $"{seats.After}")
            : string.Create(CultureInfo.InvariantCulture, $"{seats.Before} -> {seats.After}");
        var over = seats.IsOver ? string.Create(CultureInfo.InvariantCulture, $" ({seats.After - seats.Bought} over)") : "";
        yield return string.Create(CultureInfo.InvariantCulture, $"Licences: {used} of {seats.Bought} seats used{over}");
    }

    private static string Names(IReadOnlyList<string> names) => Names(names, names.Count);

    private static string Names(IReadOnlyList<string> names, int count) =>
        count <= NamesShown
            ? string.Join(", ", names)
            : string.Join(", ", names.Take(NamesShown)) + string.Create(CultureInfo.InvariantCulture, $" and {count - NamesShown} more");
}
