using System.Globalization;
using System.Text;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Engine.Output;

/// <summary>
/// A plan as pull-request comments: refusals, errors and drift first, a summary table, then one collapsible section per
/// resource holding its diff; split into as many comments as the size limit needs, never cutting a section in two.
/// </summary>
public static class PlanMarkdown
{
    /// <summary>GitHub's limit for an issue or pull-request comment body, in characters.</summary>
    public const int GitHubCommentLimit = 65_536;

    private const string Title = "### Reconciler plan";

    /// <summary>Room kept for the part header of a split comment.</summary>
    private const int HeaderRoom = 64;

    public static IReadOnlyList<string> Write(Plan plan, int maxLength = GitHubCommentLimit, string? relativeTo = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1024);
        var budget = maxLength - HeaderRoom;
        var sections = Overview(plan, budget, relativeTo);
        sections.AddRange(plan.Changes.Select(c => Details(c, budget)));

        var parts = new List<StringBuilder>();
        foreach (var section in sections)
        {
            if (parts.Count == 0 || parts[^1].Length + section.Length > budget)
                parts.Add(new StringBuilder());
            parts[^1].Append(section);
        }

        return [.. parts.Select((p, i) => (parts.Count == 1
            ? Title + "\n\n"
            : string.Create(CultureInfo.InvariantCulture, $"{Title} (part {i + 1} of {parts.Count})\n\n")) + p.ToString().TrimEnd('\n') + "\n")];
    }

    /// <summary>The summary, the alerts, the table and what is not in the manifests, each cut per item into sections that fit a comment.</summary>
    private static List<string> Overview(Plan plan, int budget, string? relativeTo)
    {
        var sections = new List<string> { Truncate("**" + PlanRenderer.Summary(plan) + "**\n\n", budget) };
        sections.AddRange(Chunks(
            "> [!CAUTION]\n> **Refused: apply will not run this plan.**\n",
            plan.Refusals.Select(r => "> - " + Escape(r) + "\n").Concat(plan.GuardRefusals.Select(g => "> - " + Escape(Impact.PlanReviewText.Line(g)) + "\n")),
            "\n",
            budget));
        sections.AddRange(Chunks(
            "> [!NOTE]\n> **Guards overridden or warning:**\n",
            plan.Guards.Where(g => g.Verdict != Guards.GuardVerdict.Refused).Select(g => "> - " + Escape(Impact.PlanReviewText.Line(g)) + "\n"),
            "\n",
            budget));
        if (plan.Impact is { IsEmpty: false } impact)
        {
            sections.AddRange(Chunks("#### Access\n\n", Impact.PlanReviewText.AccessLines(impact.Access).Select(l => "- " + Escape(l) + "\n"), "\n", budget));
            sections.AddRange(Chunks("#### Coverage\n\n", Impact.PlanReviewText.CoverageLines(impact.Coverage).Select(l => "- " + Escape(l) + "\n"), "\n", budget));
            sections.AddRange(Chunks("#### Licences\n\n", Impact.PlanReviewText.SeatLines(impact.Seats).Select(l => "- " + Escape(l) + "\n"), "\n", budget));
        }
        sections.AddRange(Chunks(
            string.Create(CultureInfo.InvariantCulture, $"> [!WARNING]\n> **{plan.Errors.Count} error(s): these resources and their dependents will not be applied.**\n"),
            plan.Errors.Select(e => $"> - {Code(e.Address.ToString())}: {e.Reason}: {Escape(e.Message)}{(e.Source is null ? "" : $" ({Escape(e.Source.RelativeTo(relativeTo).ToString())})")}\n"),
            "\n",
            budget));
        var drifted = plan.Changes.Where(c => c.Drift is not null).ToList();
        sections.AddRange(Chunks(
            string.Create(CultureInfo.InvariantCulture, $"> [!IMPORTANT]\n> **Drift: {drifted.Count} object(s) were changed on the platform outside Reconciler; this plan reverts them.**\n"),
            drifted.Select(c => string.Create(CultureInfo.InvariantCulture, $"> - {Code(c.Address.ToString())}: changed by {Escape(c.Drift!.Actor)} at {c.Drift.At:u}{(c.Drift.Reason is null ? "" : $" (reason: {Escape(c.Drift.Reason)})")}\n")),
            "\n",
            budget));
        sections.AddRange(Chunks(
            "| Action | Resource | Platform object | Fields |\n|---|---|---|---|\n",
            plan.Changes.Select(c => string.Create(CultureInfo.InvariantCulture, $"| {PlanRenderer.Symbol(c.Action).Replace("<", "&lt;", StringComparison.Ordinal)} {c.Action.ToString().ToLowerInvariant()} | {Code(c.Address.ToString())} | {c.Collection} {Code(c.Key)} | {Escape(string.Join(", ", c.Fields.Select(f => $"`{f.DisplayPath}`")))} |\n")),
            "\n",
            budget / 2));
        sections.AddRange(Chunks(
            "**" + TransitionText.Heading + "**\n\n",
            TransitionText.Lines(plan).Select(l => "- " + Escape(l) + "\n"),
            "\n",
            budget));
        sections.AddRange(Chunks(
            string.Create(CultureInfo.InvariantCulture, $"<details><summary>{plan.NotInManifests.Count} object(s) managed by Reconciler but not in the manifests (kept; use --prune to delete)</summary>\n\n"),
            plan.NotInManifests.Select(c => $"- {Code(c.Address.ToString())} ({c.Collection} {Code(c.Key)})\n"),
            "\n</details>\n\n",
            budget));
        return sections;
    }

    /// <summary>
    /// The items under their heading, in as many sections of at most <paramref name="budget"/> characters as needed, the
    /// heading repeated in each; an item too long for a section alone is cut with a note. No items, no section.
    /// </summary>
    private static IEnumerable<string> Chunks(string heading, IEnumerable<string> items, string footer, int budget)
    {
        var room = budget - heading.Length - footer.Length;
        var text = new StringBuilder();
        foreach (var item in items.Select(i => Truncate(NoComment(i), room)))
        {
            if (text.Length > 0 && text.Length + item.Length > room)
            {
                yield return heading + text + footer;
                text.Clear();
            }

            text.Append(item);
        }

        if (text.Length > 0)
            yield return heading + text + footer;
    }

    private const string TruncatedNote = "… (cut: too long for a comment; run `reconciler plan` to see all of it)\n";

    private static string Truncate(string item, int room)
    {
        if (item.Length <= room)
            return item;
        var keep = Math.Max(0, room - TruncatedNote.Length);
        if (keep > 0 && char.IsHighSurrogate(item[keep - 1]))
            keep--;
        return item[..keep] + TruncatedNote;
    }

    private static string Details(PlannedChange change, int budget)
    {
        var head = $"<details><summary><code>{PlanRenderer.Symbol(change.Action).Replace("<", "&lt;", StringComparison.Ordinal)} {change.Address}</code></summary>\n\n```diff\n";
        const string Tail = "```\n\n</details>\n\n";
        var body = new StringBuilder();
        foreach (var line in PlanRenderer.ChangeLines(change))
        {
            var diffLine = NoComment(DiffLine(line)) + "\n";
            if (head.Length + body.Length + diffLine.Length + Tail.Length + 80 > budget)
            {
                body.Append("# (diff too long for one comment: run `reconciler plan` to see all of it)\n");
                break;
            }

            body.Append(diffLine);
        }

        return head + body.ToString().Replace("```", "`\u200b``", StringComparison.Ordinal) + Tail;
    }

    /// <summary>
    /// Moves a line's change marker to the first column so that GitHub and GitLab colour it (<c>~</c> and <c>&lt;=</c>
    /// become <c>!</c>), keeping every column where it was.
    /// </summary>
    private static string DiffLine(string line)
    {
        var trimmed = line.TrimStart();
        var indent = line.Length - trimmed.Length;
        var (marker, width) = trimmed switch
        {
            _ when indent == 0 => (' ', 0),
            _ when trimmed.StartsWith("+ ", StringComparison.Ordinal) => ('+', 1),
            _ when trimmed.StartsWith("- ", StringComparison.Ordinal) => ('-', 1),
            _ when trimmed.StartsWith("~ ", StringComparison.Ordinal) => ('!', 1),
            _ when trimmed.StartsWith("<= ", StringComparison.Ordinal) => ('!', 2),
            _ => (' ', 0),
        };
        return indent == 0 ? " " + line : marker + line[1..indent] + new string(' ', width) + trimmed[width..];
    }

    /// <summary>Values may hold anything, the separator CI scripts split comments on included: none may open an HTML comment.</summary>
    private static string NoComment(string text) => text.Replace("<!--", "<\u200b!--", StringComparison.Ordinal);

    /// <summary>
    /// Text in a line of the comment: a line break or bidirectional override (from a manifest or the platform) would end
    /// the list item or table row, or show the reviewer another order than it reads; a pipe or angle bracket would end
    /// a cell or open HTML.
    /// </summary>
    private static string Escape(string text) => TerminalText.Printable(text).Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    /// <summary>
    /// Text as a code span that nothing in it can close: fenced with one backtick more than its longest run (CommonMark),
    /// its pipes escaped (GitHub splits table cells before it reads code spans), its controls written out.
    /// </summary>
    private static string Code(string text)
    {
        var printable = TerminalText.Printable(text).Replace("|", "\\|", StringComparison.Ordinal);
        var longest = 0;
        for (int i = 0, run = 0; i < printable.Length; i++)
            longest = Math.Max(longest, run = printable[i] == '`' ? run + 1 : 0);
        var fence = new string('`', longest + 1);
        var padding = printable.StartsWith('`') || printable.EndsWith('`') ? " " : "";
        return fence + padding + printable + padding + fence;
    }
}
