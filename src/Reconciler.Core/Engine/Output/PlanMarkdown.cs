using System.Globalization;
using System.Text;

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

    public static IReadOnlyList<string> Write(Plan plan, int maxLength = GitHubCommentLimit)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1024);
        var budget = maxLength - HeaderRoom;
        var sections = Overview(plan, budget);
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

    /// <summary>The summary, the alerts and the table (cut into tables that each fit a comment), then what is not in the manifests.</summary>
    private static List<string> Overview(Plan plan, int budget)
    {
        var sections = new List<string>();
        var text = new StringBuilder();
        text.Append("**").Append(PlanRenderer.Summary(plan)).Append("**\n\n");
        if (plan.Refusals.Count > 0)
        {
            text.Append("> [!CAUTION]\n> **Refused: apply will not run this plan.**\n");
            foreach (var refusal in plan.Refusals)
                text.Append("> - ").Append(Escape(refusal)).Append('\n');
            text.Append('\n');
        }

        if (plan.Errors.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"> [!WARNING]\n> **{plan.Errors.Count} error(s): these resources and their dependents will not be applied.**\n");
            foreach (var error in plan.Errors)
            {
                var where = error.Source is null ? "" : $" ({Escape(error.Source.ToString())})";
                text.Append(CultureInfo.InvariantCulture, $"> - `{error.Address}`: {error.Reason}: {Escape(error.Message)}{where}\n");
            }

            text.Append('\n');
        }

        var drifted = plan.Changes.Where(c => c.Drift is not null).ToList();
        if (drifted.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"> [!IMPORTANT]\n> **Drift: {drifted.Count} object(s) were changed on the platform outside Reconciler; this plan reverts them.**\n");
            foreach (var change in drifted)
            {
                var drift = change.Drift!;
                var reason = drift.Reason is null ? "" : $" (reason: {Escape(drift.Reason)})";
                text.Append(CultureInfo.InvariantCulture, $"> - `{change.Address}`: changed by {Escape(drift.Actor)} at {drift.At:u}{reason}\n");
            }

            text.Append('\n');
        }

        sections.Add(text.ToString());
        const string TableHead = "| Action | Resource | Platform object | Fields |\n|---|---|---|---|\n";
        text.Clear();
        foreach (var change in plan.Changes)
        {
            var fields = string.Join(", ", change.Fields.Select(f => $"`{f.DisplayPath}`"));
            var row = string.Create(CultureInfo.InvariantCulture, $"| {PlanRenderer.Symbol(change.Action).Replace("<", "&lt;", StringComparison.Ordinal)} {change.Action.ToString().ToLowerInvariant()} | `{change.Address}` | {change.Collection} `{change.Key}` | {Escape(fields)} |\n");
            if (text.Length > 0 && text.Length + row.Length + 1 > budget / 2)
            {
                sections.Add(text.Append('\n').ToString());
                text.Clear();
            }

            if (text.Length == 0)
                text.Append(TableHead);
            text.Append(row);
        }

        if (text.Length > 0)
            sections.Add(text.Append('\n').ToString());
        text.Clear();
        if (plan.NotInManifests.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"<details><summary>{plan.NotInManifests.Count} object(s) managed by Reconciler but not in the manifests (kept; use --prune to delete)</summary>\n\n");
            foreach (var change in plan.NotInManifests)
                text.Append(CultureInfo.InvariantCulture, $"- `{change.Address}` ({change.Collection} `{change.Key}`)\n");
            text.Append("\n</details>\n\n");
            sections.Add(text.ToString());
        }

        return sections;
    }

    private static string Details(PlannedChange change, int budget)
    {
        var head = $"<details><summary><code>{PlanRenderer.Symbol(change.Action).Replace("<", "&lt;", StringComparison.Ordinal)} {change.Address}</code></summary>\n\n```diff\n";
        const string Tail = "```\n\n</details>\n\n";
        var body = new StringBuilder();
        foreach (var line in PlanRenderer.ChangeLines(change))
        {
            var diffLine = DiffLine(line) + "\n";
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

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
