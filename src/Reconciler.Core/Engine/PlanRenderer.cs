using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Core.Engine;

/// <summary>Renders a plan for people (Terraform-style text) and machines (JSON). Secret values never reach a plan, so none can leak here.</summary>
public static class PlanRenderer
{
    public const string NoChanges = "No changes. The platform matches the manifests.";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Symbol(ChangeAction action) => action switch
    {
        ChangeAction.Create => "+",
        ChangeAction.Update => "~",
        ChangeAction.Delete => "-",
        ChangeAction.Adopt => "<=",
        _ => "?",
    };

    /// <summary>The summary line. Adoptions count as changes: the object exists and is modified (at least marked).</summary>
    public static string Summary(Plan plan) => plan.HasChanges
        ? string.Create(CultureInfo.InvariantCulture, $"Plan: {plan.ToAdd} to add, {plan.ToChange} to change, {plan.ToDelete} to delete.")
        : NoChanges;

    public static string ToText(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        if (plan.HasChanges)
        {
            text.AppendLine("Reconciler will perform the following actions:").AppendLine();
            foreach (var change in plan.Changes)
                AppendChange(text, change);
        }

        if (plan.NotInManifests.Count > 0)
        {
            text.AppendLine("Not in manifests (managed by Reconciler, kept; use --prune to delete):");
            foreach (var change in plan.NotInManifests)
                text.AppendLine(CultureInfo.InvariantCulture, $"  {change.Address} ({change.Collection} {change.Key})");
            text.AppendLine();
        }

        if (plan.Errors.Count > 0)
        {
            text.AppendLine("Errors (these resources and their dependents will not be applied):");
            foreach (var error in plan.Errors)
            {
                var where = error.Source is null ? "" : $" [{error.Source}]";
                text.AppendLine(CultureInfo.InvariantCulture, $"  {error.Address}: {error.Reason}: {error.Message}{where}");
            }

            text.AppendLine();
        }

        foreach (var refusal in plan.Refusals)
            text.AppendLine(CultureInfo.InvariantCulture, $"Refused: {refusal}");
        if (plan.Refusals.Count > 0)
            text.AppendLine();

        if (plan.ToAdopt > 0)
            text.AppendLine(CultureInfo.InvariantCulture, $"{plan.ToAdopt} existing object(s) will be adopted (counted as changes).");
        text.AppendLine(Summary(plan));
        return text.ToString();
    }

    private static void AppendChange(StringBuilder text, PlannedChange change)
    {
        var note = change.Action switch
        {
            ChangeAction.Adopt => $" (adopt existing {change.Collection} \"{change.Key}\")",
            ChangeAction.Delete => $" ({change.Collection} \"{change.Key}\", no longer in the manifests)",
            _ => "",
        };
        text.AppendLine(CultureInfo.InvariantCulture, $"  {Symbol(change.Action)} {change.Address}{note}");
        foreach (var field in change.Fields)
            text.AppendLine(CultureInfo.InvariantCulture, $"      {FieldLine(change.Action, field)}");
        if (change.Drift is { } drift)
        {
            var reason = drift.Reason is null ? "" : $" (reason: {drift.Reason})";
            text.AppendLine(CultureInfo.InvariantCulture, $"      drift: changed on the platform by {drift.Actor} at {drift.At:u}{reason}");
        }

        text.AppendLine();
    }

    private static string FieldLine(ChangeAction action, FieldChange field)
    {
        if (field.Sensitive)
            return $"{field.Path}: {field.After}";
        if (action == ChangeAction.Create)
            return $"{field.Path}: {field.After}";
        return $"{field.Path}: {field.Before ?? "null"} -> {field.After ?? "null"}";
    }

    public static string ToJson(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var root = new JsonObject
        {
            ["hasChanges"] = plan.HasChanges,
            ["summary"] = new JsonObject
            {
                ["add"] = plan.ToAdd,
                ["change"] = plan.ToChange,
                ["delete"] = plan.ToDelete,
                ["adopt"] = plan.ToAdopt,
                ["unchanged"] = plan.Unchanged.Count,
                ["notInManifests"] = plan.NotInManifests.Count,
                ["errors"] = plan.Errors.Count,
            },
            ["changes"] = new JsonArray([.. plan.Changes.Select(c => (JsonNode?)ChangeJson(c))]),
            ["notInManifests"] = new JsonArray([.. plan.NotInManifests.Select(c => (JsonNode?)ChangeJson(c))]),
            ["errors"] = new JsonArray([.. plan.Errors.Select(e => (JsonNode?)new JsonObject
            {
                ["address"] = e.Address.ToString(),
                ["reason"] = e.Reason,
                ["message"] = e.Message,
                ["source"] = e.Source?.ToString(),
            })]),
            ["refusals"] = new JsonArray([.. plan.Refusals.Select(r => (JsonNode?)r)]),
        };
        return root.ToJsonString(JsonOptions);
    }

    private static JsonObject ChangeJson(PlannedChange change) => new()
    {
        ["address"] = change.Address.ToString(),
        ["action"] = change.Action.ToString().ToLowerInvariant(),
        ["symbol"] = Symbol(change.Action),
        ["collection"] = change.Collection,
        ["key"] = change.Key,
        ["objectId"] = change.ObjectId,
        ["source"] = change.Source?.ToString(),
        ["fields"] = new JsonArray([.. change.Fields.Select(f => (JsonNode?)new JsonObject
        {
            ["path"] = f.Path,
            ["before"] = f.Before,
            ["after"] = f.After,
            ["sensitive"] = f.Sensitive,
        })]),
        ["dependsOn"] = new JsonArray([.. change.DependsOn.Select(d => (JsonNode?)d.ToString())]),
        ["drift"] = change.Drift is { } drift
            ? new JsonObject { ["actor"] = drift.Actor, ["at"] = drift.At.ToString("O", CultureInfo.InvariantCulture), ["reason"] = drift.Reason }
            : null,
    };
}
