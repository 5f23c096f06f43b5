using System.Globalization;
using System.Text;
using Reconciler.Core.Engine.Output;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Engine;

/// <summary>Renders a plan for people (Terraform-style text), pull requests (Markdown) and machines (JSON). Secret values never reach a plan, so none can leak here.</summary>
public static class PlanRenderer
{
    public const string NoChanges = "No changes. The platform matches the manifests.";

    public static string Symbol(ChangeAction action) => action switch
    {
        ChangeAction.Create => "+",
        ChangeAction.Update => "~",
        ChangeAction.Delete => "-",
        ChangeAction.Adopt => "<=",
        _ => "?",
    };

    /// <summary>
    /// The summary line. Adoptions count as changes: the object exists and is modified (at least marked). A plan with
    /// errors never claims "No changes": it says how many resources could not be planned.
    /// </summary>
    public static string Summary(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var counts = string.Create(CultureInfo.InvariantCulture, $"Plan: {plan.ToAdd} to add, {plan.ToChange} to change, {plan.ToDelete} to delete.");
        var failed = plan.Errors.Select(e => e.Address).Distinct().Count();
        if (failed > 0)
            return counts + string.Create(CultureInfo.InvariantCulture, $" {failed} {(failed == 1 ? "resource" : "resources")} could not be planned (see Errors).");
        return plan.HasChanges ? counts : NoChanges;
    }

    public static string ToText(Plan plan)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        WriteText(plan, text);
        return text.ToString();
    }

    /// <summary>
    /// The text of <see cref="ToText"/> handed to <paramref name="writer"/> in pieces of whole lines, each passed through
    /// <paramref name="style"/> (colours) when given: a first apply's plan is megabytes of text, which would otherwise be
    /// built whole, copied into one string and only then written. Source files are named relative to <paramref name="relativeTo"/>, as in JSON.
    /// </summary>
    public static void WriteText(Plan plan, TextWriter writer, Func<string, string>? style = null, string? relativeTo = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(writer);
        var text = new StringBuilder(PieceLength + (PieceLength / 4));
        if (plan.HasChanges)
        {
            text.AppendLine("Reconciler will perform the following actions:").AppendLine();
            foreach (var change in plan.Changes)
            {
                AppendChange(text, change);
                if (text.Length >= PieceLength)
                    Hand(text, writer, style);
            }
        }

        if (plan.NotInManifests.Count > 0)
        {
            text.AppendLine("Not in manifests (managed by Reconciler, kept; use --prune to delete):");
            foreach (var change in plan.NotInManifests)
                text.AppendLine(CultureInfo.InvariantCulture, $"  {Printable(change.Address)} ({change.Collection} {TerminalText.Printable(change.Key)})");
            text.AppendLine();
        }

        if (plan.Errors.Count > 0)
        {
            text.AppendLine("Errors (these resources and their dependents will not be applied):");
            foreach (var error in plan.Errors)
            {
                var where = error.Source is null ? "" : $" [{error.Source.RelativeTo(relativeTo)}]";
                text.AppendLine(CultureInfo.InvariantCulture, $"  {Printable(error.Address)}: {error.Reason}: {TerminalText.Printable(error.Message)}{where}");
            }

            text.AppendLine();
        }

        foreach (var refusal in plan.Refusals)
            text.AppendLine(CultureInfo.InvariantCulture, $"Refused: {refusal}");
        if (plan.Refusals.Count > 0)
            text.AppendLine();
        AppendReview(text, plan);

        if (plan.Transitions.Count > 0)
        {
            text.AppendLine(TransitionText.Heading);
            foreach (var line in TransitionText.Lines(plan))
                text.AppendLine("  " + line);
            text.AppendLine();
        }

        if (plan.ToAdopt > 0)
            text.AppendLine(CultureInfo.InvariantCulture, $"{plan.ToAdopt} existing object(s) will be adopted (counted as changes).");
        text.AppendLine(Summary(plan));
        Hand(text, writer, style);
    }

    /// <summary>
    /// An address as a line may show it: an object no manifest wants is named by the platform's key and source label,
    /// which a line break or an escape sequence in them would turn into forged plan lines or terminal commands.
    /// </summary>
    private static string Printable(Resources.ResourceId address) => TerminalText.Printable(address.ToString());

    /// <summary>The characters of text gathered before they are handed to the writer: a few changes, well within one buffer of standard output.</summary>
    private const int PieceLength = 16 * 1024;

    private static void Hand(StringBuilder text, TextWriter writer, Func<string, string>? style)
    {
        if (style is null)
            writer.Write(text);
        else
            writer.Write(style(text.ToString()));
        text.Clear();
    }

    /// <summary>The header and field lines of one change, without a trailing blank line.</summary>
    public static IEnumerable<string> ChangeLines(PlannedChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var note = change.Action switch
        {
            ChangeAction.Adopt => $" (adopt existing {change.Collection} \"{TerminalText.Printable(change.Key)}\")",
            ChangeAction.Delete => $" ({change.Collection} \"{TerminalText.Printable(change.Key)}\", no longer in the manifests)",
            _ => "",
        };
        yield return $"  {Symbol(change.Action)} {Printable(change.Address)}{note}";
        foreach (var field in change.Fields)
        {
            foreach (var line in FieldDiffText.Lines(change.Action, field, 6))
                yield return line;
        }

        foreach (var effect in change.Effects)
            yield return $"      # {effect}";

        if (change.Action != ChangeAction.Create)
        {
            foreach (var owner in change.Owned.GroupBy(o => o.Owner))
                yield return $"      # {string.Join(", ", owner.Select(o => o.ManifestPath))}: owned by {owner.Key} (left as the platform has them)";
        }

        if (change.Drift is { } drift)
        {
            // The audit trail's actor and reason are whatever its writers sent: a line break would forge plan lines, an
            // escape sequence would rewrite the terminal.
            var reason = drift.Reason is null ? "" : $" (reason: {TerminalText.Printable(drift.Reason)})";
            yield return string.Create(CultureInfo.InvariantCulture, $"      drift: changed on the platform by {TerminalText.Printable(drift.Actor)} at {drift.At:u}{reason}");
        }
    }

    /// <summary>The guards' findings, then the impact in the support manager's terms.</summary>
    private static void AppendReview(StringBuilder text, Plan plan)
    {
        // Guard messages and impact lines name people and objects as the platform holds them.
        foreach (var line in Impact.PlanReviewText.GuardLines(plan))
            text.AppendLine(TerminalText.Printable(line));
        if (plan.Guards.Count > 0)
            text.AppendLine();
        if (plan.Impact is not { IsEmpty: false } impact)
            return;
        text.AppendLine("Impact:");
        foreach (var line in Impact.PlanReviewText.AccessLines(impact.Access).Concat(Impact.PlanReviewText.CoverageLines(impact.Coverage)).Concat(Impact.PlanReviewText.SeatLines(impact.Seats)))
            text.AppendLine("  " + TerminalText.Printable(line));
        text.AppendLine();
    }

    private static void AppendChange(StringBuilder text, PlannedChange change)
    {
        foreach (var line in ChangeLines(change))
            text.AppendLine(line);
        text.AppendLine();
    }

    /// <summary>The plan as JSON with a <c>format_version</c>, source files relative to <paramref name="relativeTo"/>; see docs/plan-json.md.</summary>
    public static string ToJson(Plan plan, string? relativeTo = null) => PlanJson.Write(plan, relativeTo);

    /// <summary>The plan as Markdown comments for a pull request, each within <paramref name="maxLength"/> characters, source files relative to <paramref name="relativeTo"/>.</summary>
    public static IReadOnlyList<string> ToMarkdown(Plan plan, int maxLength = PlanMarkdown.GitHubCommentLimit, string? relativeTo = null) => PlanMarkdown.Write(plan, maxLength, relativeTo);
}
