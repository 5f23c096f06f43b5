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

    private const int WrapWidth = 100;
    private const string FieldIndent = "      ";

    private static string FieldLine(ChangeAction action, FieldChange field)
    {
        if (field.Sensitive)
            return $"{field.Path}: {field.After}";
        if (action == ChangeAction.Create)
            return $"{field.Path}:{Structured(Parse(field.After), field.After, FieldIndent.Length)}";
        if (field.Shape is FieldShape.Set or FieldShape.CaseInsensitiveSet
            && Parse(field.Before ?? "[]") is JsonArray before && Parse(field.After ?? "[]") is JsonArray after
            && SetChange(before, after) is { } change)
            return $"{field.Path}: {change}";
        return $"{field.Path}: {field.Before ?? "null"} -> {field.After ?? "null"}";
    }

    /// <summary>A rendered value as JSON, or null when it is not JSON (references shown by name, "known after apply").</summary>
    private static JsonNode? Parse(string? text)
    {
        if (text is null || text.Length == 0 || (text[0] != '[' && text[0] != '{'))
            return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>+ es, - fr</c>: what a set gains and loses.</summary>
    private static string? SetChange(JsonArray before, JsonArray after)
    {
        if (before.Concat(after).Any(n => n is JsonObject or JsonArray))
            return null;
        var old = before.Select(Plain).ToList();
        var @new = after.Select(Plain).ToList();
        var items = @new.Except(old, StringComparer.Ordinal).Select(i => "+ " + i)
            .Concat(old.Except(@new, StringComparer.Ordinal).Select(i => "- " + i))
            .ToList();
        return items.Count == 0 ? null : string.Join(", ", items);
    }

    /// <summary>
    /// The text after <c>field:</c>. Scalars and short scalar lists stay on the line; objects and lists of objects go
    /// below it, indented, keys in ordinal order and nulls left out, like the YAML they came from; long scalar lists wrap.
    /// </summary>
    private static string Structured(JsonNode? node, string? text, int indent)
    {
        if (node is null)
            return " " + text;
        var lines = new List<string>();
        AppendNode(lines, node, indent + 2);
        if (lines.Count == 1)
            return " " + lines[0].TrimStart();
        if (lines[0].TrimStart() == "[")
            return " [" + Environment.NewLine + string.Join(Environment.NewLine, lines.Skip(1).SkipLast(1)) + Environment.NewLine + new string(' ', indent) + "]";
        return Environment.NewLine + string.Join(Environment.NewLine, lines);
    }

    private static void AppendNode(List<string> lines, JsonNode node, int indent)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in Entries(o))
                    AppendEntry(lines, pad, key, value, indent);
                if (lines.Count == 0)
                    lines.Add(pad + "{}");
                break;
            case JsonArray a when a.All(i => i is not JsonObject and not JsonArray):
                lines.AddRange(WrapList([.. a.Where(i => i is not null).Select(Scalar)], pad));
                break;
            case JsonArray a:
                foreach (var item in a.Where(i => i is not null))
                {
                    var nested = new List<string>();
                    AppendNode(nested, item!, indent + 2);
                    if (nested.Count == 0)
                        continue;
                    lines.Add(pad + "- " + nested[0].TrimStart());
                    lines.AddRange(nested.Skip(1));
                }

                break;
            default:
                lines.Add(pad + Scalar(node));
                break;
        }
    }

    private static void AppendEntry(List<string> lines, string pad, string key, JsonNode value, int indent)
    {
        var nested = new List<string>();
        AppendNode(nested, value, indent + 2);
        if (nested.Count == 1 && value is not JsonObject)
        {
            lines.Add($"{pad}{key}: {nested[0].TrimStart()}");
            return;
        }

        lines.Add($"{pad}{key}:");
        lines.AddRange(nested);
    }

    private static IEnumerable<(string Key, JsonNode Value)> Entries(JsonObject o) => o
        .Where(p => p.Value is not null && p.Value.GetValueKind() != JsonValueKind.Null)
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => (p.Key, p.Value!));

    /// <summary><c>[a, b, c]</c> on one line when it fits, else one line per chunk that fits, inside the brackets.</summary>
    private static IEnumerable<string> WrapList(List<string> items, string pad)
    {
        var inline = "[" + string.Join(", ", items) + "]";
        if (pad.Length + inline.Length <= WrapWidth)
        {
            yield return pad + inline;
            yield break;
        }

        yield return pad + "[";
        var line = new StringBuilder();
        foreach (var item in items)
        {
            if (line.Length > 0 && pad.Length + 2 + line.Length + item.Length + 2 > WrapWidth)
            {
                yield return pad + "  " + line.ToString().TrimEnd();
                line.Clear();
            }

            line.Append(item).Append(", ");
        }

        if (line.Length > 0)
            yield return pad + "  " + line.ToString().TrimEnd().TrimEnd(',');
        yield return pad + "]";
    }

    /// <summary>Set items as people write them in manifests: strings without quotes.</summary>
    private static string Plain(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : Scalar(node);

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonSerializer.Serialize(v.GetValue<string>(), JsonOptions),
        _ => node.ToJsonString(JsonOptions),
    };

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
