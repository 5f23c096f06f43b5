using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// Edits manifests in their text, node by node: a changed field's value is replaced where it stands, a new field is
/// inserted after its predecessor in model order, a cleared one is removed with its line (in a flow mapping or a JSON
/// document, with its comma). Everything else (comments, key order, quoting, blank lines, other documents) stays byte
/// for byte. The edited text is read back with the loader <c>validate</c> uses before it is returned.
/// </summary>
internal static class ManifestEditor
{
    /// <summary>
    /// Applies <paramref name="edits"/> to the documents of <paramref name="kind"/> named by the dictionary's keys;
    /// <paramref name="fieldOrder"/> is the spec's fields in model order, to place inserted fields. Throws
    /// <see cref="InvalidDataException"/>, naming <paramref name="file"/>, when the edited text would not read back as
    /// exactly the edits.
    /// </summary>
    public static string Apply(string file, string text, string kind, IReadOnlyDictionary<string, IReadOnlyList<FieldEdit>> edits, IReadOnlyList<string> fieldOrder)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException)
        {
            // kubectl and the loader read JSON objects one after another (jq -c); YAML reads only the first.
            throw Refused(file, "it is not one YAML stream (several JSON objects one after another, as jq -c writes them?)");
        }

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

            if (spec.Style == MappingStyle.Flow)
            {
                splices.AddRange(PlanFlow(text, root, spec, changes, fieldOrder, newline, splices.Count));
                continue;
            }

            foreach (var edit in changes)
                splices.Add(Plan(text, spec, edit, fieldOrder, newline, splices.Count));
        }

        // Back to front, so earlier offsets stay valid; at one offset a removal goes before the inserts that take its
        // place, and inserts keep their model order.
        var result = new StringBuilder(text);
        foreach (var splice in splices.OrderByDescending(s => s.Start).ThenByDescending(s => s.End).ThenByDescending(s => s.Sequence))
        {
            result.Remove(splice.Start, splice.End - splice.Start);
            result.Insert(splice.Start, splice.Text);
        }

        var edited = result.ToString();
        Prove(file, text, edited, kind, edits);
        return edited;
    }

    private sealed record Splice(int Start, int End, string Text, int Sequence);

    private static Splice Plan(string text, YamlMappingNode spec, FieldEdit edit, IReadOnlyList<string> order, string newline, int sequence)
    {
        var entries = spec.Children.ToList();
        var existing = entries.FirstOrDefault(e => e.Key is YamlScalarNode { Value: var key } && key == edit.Field);
        var rendered = edit.Value is null ? null : Render(edit.Value, FlowSyntax.Yaml);
        if (existing.Key is not null)
        {
            var (key, value) = existing;
            if (rendered is null)
                return new Splice(LineStart(text, Index(key.Start)), LineEnd(text, LastEnd(text, value)), "", sequence);

            var blockValue = value is YamlSequenceNode { Style: SequenceStyle.Block } or YamlMappingNode { Style: not MappingStyle.Flow }
                || (value is YamlScalarNode { Value: "" or null, Style: ScalarStyle.Plain });
            if (blockValue)
            {
                // "key:\n  - a\n  - b" (or an empty value) becomes "key: [a, b]" from the colon to the last item.
                var end = value is YamlScalarNode ? Index(key.End) : LastEnd(text, value);
                var colon = text.IndexOf(':', Index(key.End));
                return new Splice(colon, Math.Max(colon + 1, end), ": " + rendered, sequence);
            }

            return new Splice(Index(value.Start), LastEnd(text, value), rendered, sequence);
        }

        if (rendered is null)
            return new Splice(0, 0, "", sequence);

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

    /// <summary>One entry of a flow mapping: where its key starts, where its value starts and ends.</summary>
    private sealed record FlowEntry(string? Field, int KeyStart, int ValueStart, int End);

    /// <summary>
    /// The edits to a flow mapping (<c>{…}</c>; every mapping of a JSON document is one), planned together so that
    /// removals and inserts next to each other share no separator: a run of removed entries goes with the commas
    /// between them and one next to it, new entries go after their predecessor in model order with the separator the
    /// mapping already uses (its line breaks and indentation in a JSON document written one field a line), and values
    /// are written in the mapping's syntax.
    /// </summary>
    private static IEnumerable<Splice> PlanFlow(string text, YamlMappingNode resource, YamlMappingNode spec, IReadOnlyList<FieldEdit> edits, IReadOnlyList<string> order, string newline, int sequence)
    {
        var entries = spec.Children.Select(e => new FlowEntry((e.Key as YamlScalarNode)?.Value, Index(e.Key.Start), Index(e.Value.Start), LastEnd(text, e.Value))).ToList();
        var syntax = SyntaxOf(text, resource, spec);
        var separator = Separator(text, entries, newline);
        var removed = entries.Select(e => edits.Any(edit => edit.Field == e.Field && edit.Value is null)).ToList();
        var splices = new List<Splice>();
        foreach (var (entry, edit) in entries.Join(edits.Where(e => e.Value is not null), e => e.Field, e => e.Field, (entry, edit) => (entry, edit)))
            splices.Add(new Splice(entry.ValueStart, entry.End, Render(edit.Value, syntax), sequence + splices.Count));

        for (var i = 0; i < entries.Count; i++)
        {
            if (!removed[i])
                continue;
            var last = i;
            while (last + 1 < entries.Count && removed[last + 1])
                last++;
            var (start, end) = last + 1 < entries.Count ? (entries[i].KeyStart, entries[last + 1].KeyStart)
                : i > 0 ? (entries[i - 1].End, entries[last].End)
                : (entries[0].KeyStart, entries[last].End);
            splices.Add(new Splice(start, end, "", sequence + splices.Count));
            i = last;
        }

        var kept = entries.Where((_, i) => !removed[i]).ToList();
        var added = edits.Where(e => e.Value is not null && entries.TrueForAll(x => x.Field != e.Field))
            .OrderBy(e => IndexIn(order, e.Field))
            .Select(e => (Edit: e, Anchor: kept.LastOrDefault(x => x.Field is not null && IndexIn(order, x.Field) < IndexIn(order, e.Field))))
            .GroupBy(a => a.Anchor);
        foreach (var group in added)
        {
            var texts = group.Select(a => $"{syntax.Key(a.Edit.Field)}{syntax.Colon}{Render(a.Edit.Value, syntax)}").ToList();
            var (at, inserted) = group.Key is { } anchor ? (anchor.End, string.Concat(texts.Select(t => separator + t)))
                : kept.Count > 0 ? (kept[0].KeyStart, string.Concat(texts.Select(t => t + separator)))
                : (entries.Count > 0 ? entries[0].KeyStart : Index(spec.End) + 1, string.Join(separator, texts));
            splices.Add(new Splice(at, at, inserted, sequence + splices.Count));
        }

        return splices;
    }

    /// <summary>
    /// How a flow mapping writes its entries: as JSON (keys and strings double-quoted) when its keys are, else as YAML's
    /// flow style; with the space after the colon or without it, as its first entry does.
    /// </summary>
    private static FlowSyntax SyntaxOf(string text, YamlMappingNode resource, YamlMappingNode spec)
    {
        var keys = spec.Children.Count > 0 ? spec.Children.Keys : resource.Children.Keys;
        if (!keys.All(k => k is YamlScalarNode { Style: ScalarStyle.DoubleQuoted }))
            return FlowSyntax.Yaml;
        if (spec.Children.Count == 0)
            return FlowSyntax.Json;
        var (key, value) = spec.Children.First();
        return Index(value.Start) == Index(key.End) + 1 ? FlowSyntax.CompactJson : FlowSyntax.Json;
    }

    /// <summary>
    /// What goes between two entries of a flow mapping: the comma and blanks the mapping already uses between two of
    /// its entries, else a line break and the first entry's indentation when it stands on a line of its own, else ", ".
    /// </summary>
    private static string Separator(string text, List<FlowEntry> entries, string newline)
    {
        for (var i = 0; i + 1 < entries.Count; i++)
        {
            var gap = text[entries[i].End..entries[i + 1].KeyStart];
            if (gap.Count(c => c == ',') == 1 && gap.All(c => c is ',' or ' ' or '\t' or '\r' or '\n'))
                return gap;
        }

        if (entries.Count == 0)
            return ", ";
        var lineStart = LineStart(text, entries[0].KeyStart);
        var indent = text[lineStart..entries[0].KeyStart];
        return indent.All(c => c is ' ' or '\t') && lineStart > 0 ? "," + newline + indent : ", ";
    }

    private static int IndexIn(IReadOnlyList<string> order, string field)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i] == field)
                return i;
        }

        return int.MaxValue;
    }

    /// <summary>How values are written into a flow mapping: <c>[{name: support}, {name: billing}]</c>, or as JSON.</summary>
    private sealed record FlowSyntax(bool IsJson, string Colon, string Comma)
    {
        public static FlowSyntax Yaml { get; } = new(false, ": ", ", ");

        public static FlowSyntax Json { get; } = new(true, ": ", ", ");

        public static FlowSyntax CompactJson { get; } = new(true, ":", ",");

        public string Key(string name) => IsJson ? ManifestWriter.DoubleQuoted(name) : name;

        public string Scalar(JsonNode? value) =>
            IsJson && value?.GetValueKind() == JsonValueKind.String ? ManifestWriter.DoubleQuoted(value.GetValue<string>()) : ManifestWriter.Scalar(value);
    }

    private static string Render(JsonNode? value, FlowSyntax syntax) => value switch
    {
        JsonObject obj => "{" + string.Join(syntax.Comma, obj.Select(p => $"{syntax.Key(p.Key)}{syntax.Colon}{Render(p.Value, syntax)}")) + "}",
        JsonArray array => "[" + string.Join(syntax.Comma, array.Select(i => Render(i, syntax))) + "]",
        _ => syntax.Scalar(value),
    };

    /// <summary>
    /// Reads the edited text back with the loader <c>validate</c> uses: it must load without errors, as the same
    /// resources, those edited with exactly the edited spec (read from a document of that spec alone, so that defaults
    /// compare as the loader fills them) and the others unchanged. A text edit cannot stand alone where the document's
    /// YAML makes one node serve several places: a field a merge key (<c>&lt;&lt;</c>) supplies, a node an alias shares.
    /// </summary>
    private static void Prove(string file, string before, string after, string kind, IReadOnlyDictionary<string, IReadOnlyList<FieldEdit>> edits)
    {
        var now = ManifestLoader.LoadYaml(after, file);
        if (now.Diagnostics.FirstOrDefault(d => d.IsError) is { } error)
            throw Refused(file, $"edited, it would not load ({error})");
        var old = ManifestLoader.LoadYaml(before, file).Resources;
        if (!old.Select(r => r.Id).SequenceEqual(now.Resources.Select(r => r.Id)))
            throw Refused(file, "edited, it would not hold the same resources");

        var wanted = old.Where(r => r.Kind == kind && edits.ContainsKey(r.Metadata.Name))
            .Select(r => new ManifestSource($"{file} ({r.Id})", Edited(r, edits[r.Metadata.Name]).ToJsonString(ManifestWriter.Json)))
            .ToList();
        var expected = ManifestLoader.LoadSources(wanted).Resources.ToDictionary(r => r.Id);
        foreach (var (was, read) in old.Zip(now.Resources))
        {
            var isEdited = was.Kind == kind && edits.ContainsKey(was.Metadata.Name);
            var spec = isEdited ? expected.GetValueOrDefault(was.Id) is { } target ? SpecOf(target) : [] : SpecOf(was);
            var actual = SpecOf(read);
            var differs = spec.Select(p => p.Key).Union(actual.Select(p => p.Key)).Where(field => !JsonNode.DeepEquals(spec[field], actual[field])).ToList();
            if (differs.Count > 0)
            {
                throw Refused(file, $"edited, {read.Id} would read {string.Join(", ", differs.Select(f => "spec." + f))} other than {(isEdited ? "the sheet asks" : "it is now")}"
                    + " (a merge key or an alias in the document makes one node serve several places)");
            }
        }
    }

    private static JsonObject Edited(Resource resource, IReadOnlyList<FieldEdit> edits)
    {
        var spec = SpecOf(resource);
        foreach (var edit in edits)
        {
            if (edit.Value is null)
                spec.Remove(edit.Field);
            else
                spec[edit.Field] = edit.Value.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = new JsonObject { ["name"] = resource.Metadata.Name },
            ["spec"] = spec,
        };
    }

    private static JsonObject SpecOf(Resource resource) =>
        JsonSerializer.SerializeToNode(resource.SpecObject, ManifestWriter.Json.GetTypeInfo(resource.SpecObject.GetType()))!.AsObject();

    private static InvalidDataException Refused(string file, string why) =>
        new($"{file}: cannot be edited in place: {why}. Nothing was written: make the change in the file by hand, or write its documents in block-style YAML, and import again");

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
        YamlSequenceNode sequence => ClosingBracket(text, sequence.Children.Count > 0 ? LastEnd(text, sequence.Children[^1]) : Index(node.End) + 1),
        YamlMappingNode mapping => ClosingBracket(text, mapping.Children.Count > 0 ? LastEnd(text, mapping.Children.Last().Value) : Index(node.End) + 1),
        _ => Index(node.End),
    };

    /// <summary>
    /// Just past the bracket that closes a flow collection, looked for from the end of its last item (or its opening
    /// bracket, which a collection's end mark gives): only commas, blanks and comments stand between. Scanning from the
    /// opening bracket instead would have to know YAML's quoting, where an apostrophe in a plain scalar (O'Brien) is text.
    /// </summary>
    private static int ClosingBracket(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] is ']' or '}')
                return i + 1;
            if (text[i] == '#')
                i = LineEnd(text, i) - 1;
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
