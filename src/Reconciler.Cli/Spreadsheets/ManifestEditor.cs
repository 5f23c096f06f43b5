using System.Text;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// Edits manifests in their text, node by node: a changed field's value is replaced where it stands, a new field is
/// inserted after its predecessor in model order, a cleared one is removed with its line. Everything else (comments,
/// key order, quoting, blank lines, other documents) stays byte for byte.
/// </summary>
internal static class ManifestEditor
{
    /// <summary>
    /// Applies <paramref name="edits"/> to the documents of <paramref name="kind"/> named by the dictionary's keys;
    /// <paramref name="fieldOrder"/> is the spec's fields in model order, to place inserted fields.
    /// </summary>
    public static string Apply(string text, string kind, IReadOnlyDictionary<string, IReadOnlyList<FieldEdit>> edits, IReadOnlyList<string> fieldOrder)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var splices = new List<Splice>();
        foreach (var (root, k) in stream.Documents.SelectMany(d => Resources(d.RootNode)))
        {
            if (k != kind
                || Child(root, "metadata") is not YamlMappingNode metadata
                || Child(metadata, "name") is not YamlScalarNode { Value: { } name }
                || !edits.TryGetValue(name, out var changes)
                || Child(root, "spec") is not YamlMappingNode spec)
            {
                continue;
            }

            foreach (var edit in changes)
                splices.Add(Plan(text, spec, edit, fieldOrder, newline, splices.Count));
        }

        // Back to front, so earlier offsets stay valid; inserts at one offset keep their model order.
        var result = new StringBuilder(text);
        foreach (var splice in splices.OrderByDescending(s => s.Start).ThenByDescending(s => s.Sequence))
        {
            result.Remove(splice.Start, splice.End - splice.Start);
            result.Insert(splice.Start, splice.Text);
        }

        return result.ToString();
    }

    private sealed record Splice(int Start, int End, string Text, int Sequence);

    private static Splice Plan(string text, YamlMappingNode spec, FieldEdit edit, IReadOnlyList<string> order, string newline, int sequence)
    {
        var entries = spec.Children.ToList();
        var existing = entries.FirstOrDefault(e => e.Key is YamlScalarNode { Value: var key } && key == edit.Field);
        var flow = spec.Style == MappingStyle.Flow;
        var rendered = edit.Value is null ? null : Render(edit.Value);
        if (existing.Key is not null)
        {
            var (key, value) = existing;
            if (rendered is null)
            {
                return flow
                    ? Replace(text, value, "null", sequence)
                    : new Splice(LineStart(text, Index(key.Start)), LineEnd(text, LastEnd(text, value)), "", sequence);
            }

            var blockValue = value is YamlSequenceNode { Style: SequenceStyle.Block } or YamlMappingNode { Style: not MappingStyle.Flow }
                || (value is YamlScalarNode { Value: "" or null, Style: ScalarStyle.Plain });
            if (blockValue)
            {
                // "key:\n  - a\n  - b" (or an empty value) becomes "key: [a, b]" from the colon to the last item.
                var end = value is YamlScalarNode ? Index(key.End) : LastEnd(text, value);
                var colon = text.IndexOf(':', Index(key.End));
                return new Splice(colon, Math.Max(colon + 1, end), ": " + rendered, sequence);
            }

            return Replace(text, value, rendered, sequence);
        }

        if (rendered is null)
            return new Splice(0, 0, "", sequence);
        if (flow)
        {
            var close = ClosingBracket(text, Index(spec.Start)) - 1;
            var separator = entries.Count == 0 ? "" : ", ";
            return new Splice(close, close, $"{separator}{edit.Field}: {rendered}", sequence);
        }

        var first = entries[0].Key;
        var indent = new string(' ', Index(first.Start) - LineStart(text, Index(first.Start)));
        var line = $"{indent}{edit.Field}: {rendered}{newline}";
        var rank = IndexIn(order, edit.Field);
        var anchor = entries.LastOrDefault(e => e.Key is YamlScalarNode { Value: { } k } && IndexIn(order, k) < rank);
        if (anchor.Key is null)
            return new Splice(LineStart(text, Index(first.Start)), LineStart(text, Index(first.Start)), line, sequence);
        var at = LineEnd(text, LastEnd(text, anchor.Value));
        return new Splice(at, at, at == text.Length && !text.EndsWith('\n') ? newline + line : line, sequence);
    }

    private static Splice Replace(string text, YamlNode value, string rendered, int sequence) => new(Index(value.Start), LastEnd(text, value), rendered, sequence);

    private static int IndexIn(IReadOnlyList<string> order, string field)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == field)
                return i;
        }

        return int.MaxValue;
    }

    /// <summary>A value in flow style, the way the manifests are written: <c>[{name: support}, {name: billing}]</c>.</summary>
    public static string Render(JsonNode? value) => value switch
    {
        JsonObject obj => "{" + string.Join(", ", obj.Select(p => $"{p.Key}: {Render(p.Value)}")) + "}",
        JsonArray array => "[" + string.Join(", ", array.Select(Render)) + "]",
        _ => ManifestWriter.Scalar(value),
    };

    /// <summary>
    /// The resources of a document and their kinds, as the loader reads them: its root, or the items of a list document
    /// (an item of a kind's list that names neither kind nor apiVersion has the list's).
    /// </summary>
    private static IEnumerable<(YamlMappingNode Resource, string? Kind)> Resources(YamlNode? root)
    {
        if (root is not YamlMappingNode mapping)
            yield break;
        var kind = (Child(mapping, "kind") as YamlScalarNode)?.Value;
        if (kind is null || !ManifestLoader.IsListKind(kind, out var listed))
        {
            yield return (mapping, kind);
            yield break;
        }

        foreach (var item in (Child(mapping, "items") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            yield return (item, Child(item, "kind") is YamlScalarNode { Value: var own } ? own : Child(item, "apiVersion") is null ? listed?.Kind : null);
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: var k } && k == key).Value;

    private static int Index(Mark mark) => checked((int)mark.Index);

    /// <summary>Where the text of a value ends: block collections end at their last item, flow ones at their bracket.</summary>
    private static int LastEnd(string text, YamlNode node) => node switch
    {
        YamlSequenceNode { Style: SequenceStyle.Block } sequence when sequence.Children.Count > 0 => LastEnd(text, sequence.Children[^1]),
        YamlMappingNode { Style: not MappingStyle.Flow } mapping when mapping.Children.Count > 0 => LastEnd(text, mapping.Children.Last().Value),
        YamlSequenceNode or YamlMappingNode => ClosingBracket(text, Index(node.Start)),
        _ => Index(node.End),
    };

    /// <summary>Just past the bracket that closes the flow collection opening at <paramref name="start"/> (quotes respected).</summary>
    private static int ClosingBracket(string text, int start)
    {
        var depth = 0;
        for (var i = start; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}':
                    if (--depth == 0)
                        return i + 1;
                    break;
                case '"':
                    for (i++; i < text.Length && text[i] != '"'; i++)
                    {
                        if (text[i] == '\\')
                            i++;
                    }

                    break;
                case '\'':
                    for (i++; i < text.Length && !(text[i] == '\'' && (i + 1 >= text.Length || text[i + 1] != '\'')); i++)
                    {
                        if (text[i] == '\'')
                            i++;
                    }

                    break;
            }
        }

        return text.Length;
    }

    private static int LineStart(string text, int index) => index <= 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;

    /// <summary>Just past the newline that ends the line holding <paramref name="index"/> (a trailing comment goes with it).</summary>
    private static int LineEnd(string text, int index)
    {
        var newline = text.IndexOf('\n', Math.Min(index, text.Length));
        return newline < 0 ? text.Length : newline + 1;
    }
}
