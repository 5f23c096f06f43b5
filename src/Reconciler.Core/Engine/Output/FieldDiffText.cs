using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Core.Engine.Output;

/// <summary>
/// The lines of one field of a change, as Terraform shows them: scalars <c>old -&gt; new</c>; lists element by element
/// (added <c>+</c>, removed <c>-</c>, changed <c>~</c> with only what changed), unchanged elements folded into one comment.
/// </summary>
public static class FieldDiffText
{
    private const int WrapWidth = 100;

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // What the relaxed encoder above never escapes (the default one also escapes + ` < > & '): printable ASCII but the quote
    // and the backslash. A value made only of these is its own JSON literal inside quotes.
    private static readonly SearchValues<char> PlainJsonText =
        SearchValues.Create([.. Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c).Where(c => c is not ('"' or '\\'))]);

    // A plan of thousands of changes indents every field line with one of a few widths.
    private static readonly string[] Pads = [.. Enumerable.Range(0, 33).Select(width => new string(' ', width))];

    private static string Pad(int width) => width < Pads.Length ? Pads[width] : new string(' ', width);

    public static IEnumerable<string> Lines(ChangeAction action, FieldChange field, int indent)
    {
        ArgumentNullException.ThrowIfNull(field);
        var pad = Pad(indent);
        var path = field.DisplayPath;
        var rule = field.Rule ?? new ComparisonRule(field.Path, field.Shape);
        var unknown = field.AfterUnknown ? " (known after apply)" : "";
        if (field.Sensitive)
            return [$"{pad}{(action == ChangeAction.Create ? '+' : '~')} {path}: {field.After}"];

        var before = action == ChangeAction.Create ? null : Present(field.BeforeValue);
        var after = Present(field.AfterValue);
        if (rule.Shape == ComparisonShape.Map && (before ?? after) is JsonObject)
            return MapLines(path, before as JsonObject, after as JsonObject, indent, unknown);
        if (before is null && after is JsonArray scalars && scalars.All(i => i is not JsonObject))
            return [FieldDiffText.Wrapped($"{pad}+ {path}: ", scalars, rule, indent) + unknown];
        if (before is JsonArray || after is JsonArray)
        {
            var marker = before is null ? '+' : after is null ? '-' : '~';
            var lines = new List<string> { $"{pad}{marker} {path}: [" };
            lines.AddRange(ListLines(before as JsonArray ?? [], after as JsonArray ?? [], rule, indent + 4));
            lines.Add($"{pad}  ]{unknown}");
            return lines;
        }

        if (before is null)
            return [$"{pad}+ {path}: {Inline(after, rule)}{unknown}"];
        if (after is null)
            return [$"{pad}- {path}: {Inline(before, rule)} -> null"];
        return [$"{pad}~ {path}: {Inline(before, rule)} -> {Inline(after, rule)}{unknown}"];
    }

    /// <summary>Null for absent and empty values, which mean the same on the platform.</summary>
    private static JsonNode? Present(JsonNode? node) =>
        node is null || node.GetValueKind() == JsonValueKind.Null || node is JsonArray { Count: 0 } ? null : node;

    private static IEnumerable<string> ListLines(JsonArray before, JsonArray after, ComparisonRule rule, int indent)
    {
        var pad = Pad(indent);
        var pairs = ElementPairs.Match(before, after, rule);
        var unchanged = 0;
        foreach (var (old, @new) in pairs)
        {
            if (old is not null && @new is not null && JsonNode.DeepEquals(old, @new))
            {
                unchanged++;
                continue;
            }

            if (old is null || @new is null)
            {
                var marker = old is null ? '+' : '-';
                var value = old ?? @new;
                var inline = $"{pad}{marker} {Inline(value, rule)},";
                if (inline.Length <= WrapWidth + 20 || value is not JsonObject o)
                {
                    yield return inline;
                    continue;
                }

                yield return $"{pad}{marker} {{";
                foreach (var child in rule.Children.Where(c => Present(o[c.Name]) is not null))
                    yield return $"{pad}    {marker} {child.ManifestSegment}: {Inline(o[child.Name], child)}";
                yield return $"{pad}  }},";
                continue;
            }

            yield return $"{pad}~ {{";
            var hidden = 0;
            foreach (var child in rule.Children.Where(c => !c.WriteOnly))
            {
                var (x, y) = (Present(old[child.Name]), Present(@new[child.Name]));
                if (JsonNode.DeepEquals(x, y))
                {
                    // Unkeyed elements are known by all their fields; keyed ones by the key.
                    if (x is not null && (rule.KeyField is null || rule.KeyField == child.Name))
                        yield return $"{pad}      {child.ManifestSegment}: {Inline(x, child)}";
                    else if (x is not null)
                        hidden++;
                }
                else if (x is null)
                {
                    yield return $"{pad}    + {child.ManifestSegment}: {Inline(y, child)}";
                }
                else if (y is null)
                {
                    yield return $"{pad}    - {child.ManifestSegment}: {Inline(x, child)} -> null";
                }
                else
                {
                    yield return $"{pad}    ~ {child.ManifestSegment}: {Inline(x, child)} -> {Inline(y, child)}";
                }
            }

            if (hidden > 0)
                yield return $"{pad}      # ({Count(hidden, "unchanged attribute")} hidden)";
            yield return $"{pad}  }},";
        }

        if (unchanged > 0)
            yield return $"{pad}  # ({Count(unchanged, "unchanged element")} hidden)";
    }

    /// <summary>A map entry by entry, each on its own line with its key as the path's subscript (<c>spec.texts["de"]</c>); unchanged entries folded into one comment.</summary>
    private static IEnumerable<string> MapLines(string path, JsonObject? before, JsonObject? after, int indent, string unknown)
    {
        var pad = Pad(indent);
        var scalar = new ComparisonRule(path);
        var unchanged = 0;
        foreach (var key in (before?.Select(e => e.Key) ?? []).Union(after?.Select(e => e.Key) ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var (old, @new) = (Present(before?[key]), Present(after?[key]));
            var entry = $"{path}[{Quoted(key)}]";
            if (JsonNode.DeepEquals(old, @new))
                unchanged++;
            else if (old is null)
                yield return $"{pad}+ {entry}: {Inline(@new, scalar)}{unknown}";
            else if (@new is null)
                yield return $"{pad}- {entry}: {Inline(old, scalar)} -> null";
            else
                yield return $"{pad}~ {entry}: {Inline(old, scalar)} -> {Inline(@new, scalar)}{unknown}";
        }

        if (unchanged > 0)
            yield return $"{pad}  # ({Count(unchanged, "unchanged element")} of {path} hidden)";
    }

    /// <summary>
    /// Text as a JSON string literal: most values only wrapped in quotes (a plan shows thousands); the rest written by the
    /// node itself with <see cref="JsonOptions"/>, rather than by a serializer that needs metadata for it.
    /// </summary>
    internal static string Quoted(string text) =>
        text.AsSpan().ContainsAnyExcept(PlainJsonText) ? JsonValue.Create(text).ToJsonString(JsonOptions) : string.Concat("\"", text, "\"");

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");

    /// <summary>A value on one line, as flow YAML would have it: objects <c>{key: value}</c> in the manifest's order, nulls left out.</summary>
    public static string Inline(JsonNode? node, ComparisonRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        switch (node)
        {
            case null:
                return "null";
            case JsonObject o:
            {
                var parts = new List<string>();
                var children = rule.Children.Count > 0 ? rule.Children : [.. o.Select(p => new ComparisonRule(p.Key))];
                foreach (var child in children.Where(c => Present(o[c.Name]) is not null))
                    parts.Add($"{child.ManifestSegment}: {Inline(o[child.Name], child)}");
                return "{" + string.Join(", ", parts) + "}";
            }

            case JsonArray a:
            {
                // An element is shown by the same rule as the list: only an object's children are read from it.
                var items = new string[a.Count];
                for (var i = 0; i < items.Length; i++)
                    items[i] = Inline(a[i], rule);
                return string.Concat("[", string.Join(", ", items), "]");
            }

            default:
                return node.GetValueKind() == JsonValueKind.String
                    ? Quoted(node.GetValue<string>())
                    : node.ToJsonString(JsonOptions);
        }
    }

    /// <summary><c>[a, b, c]</c> wrapped inside its brackets when it does not fit one line.</summary>
    internal static string Wrapped(string head, JsonArray items, ComparisonRule rule, int indent)
    {
        var inline = Inline(items, rule);
        if (head.Length + inline.Length <= WrapWidth)
            return head + inline;
        var text = new StringBuilder(head).Append('[');
        var line = new StringBuilder();
        var pad = Pad(indent + 4);
        foreach (var item in items.Select(i => Inline(i, rule)))
        {
            if (line.Length > 0 && pad.Length + line.Length + item.Length + 2 > WrapWidth)
            {
                text.AppendLine().Append(pad).Append(line.ToString().TrimEnd());
                line.Clear();
            }

            line.Append(item).Append(", ");
        }

        if (line.Length > 0)
            text.AppendLine().Append(pad).Append(line.ToString().TrimEnd().TrimEnd(','));
        return text.AppendLine().Append(Pad(indent + 2)).Append(']').ToString();
    }
}
