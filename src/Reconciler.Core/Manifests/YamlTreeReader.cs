using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Builds <see cref="YamlNode"/> trees from YamlDotNet's event parser. Iterative, so depth is a
/// limit we report rather than a stack overflow; errors end the file but keep earlier documents.
/// </summary>
internal static class YamlTreeReader
{
    public static IReadOnlyList<YamlDocumentNode> Read(string file, string text, ManifestLimits limits, List<Diagnostic> diagnostics)
    {
        var documents = new List<YamlDocumentNode>();
        if (ReportTabs(file, text, diagnostics))
            return documents;

        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                if (documents.Count == limits.MaxDocumentsPerFile)
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TooManyDocuments, At(file, start.Start), "",
                        $"more than {limits.MaxDocumentsPerFile} documents in one file"));
                    return documents;
                }

                var root = ReadDocument(file, parser, limits, diagnostics);
                if (root is null)
                    return documents;
                documents.Add(new YamlDocumentNode(At(file, start.Start), root.Value.Root));
            }
        }
        catch (YamlException e)
        {
            // An unrendered template often breaks the YAML itself ({{- ... }}); say what it is rather than what the parser saw.
            var line = LineAt(text, (int)e.Start.Line);
            diagnostics.Add(UnrenderedTemplate.Contains(line)
                ? Diagnostic.Error(DiagnosticCodes.UnrenderedTemplate, At(file, e.Start), "", UnrenderedTemplate.Message(line.Trim()))
                : Diagnostic.Error(DiagnosticCodes.YamlSyntax, At(file, e.Start), "", CleanMessage(e)));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed input instead of a YamlException.
            var at = parser.Current is { } last ? At(file, last.End) : new SourceLocation(file, 1, 1);
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, at, "", "invalid YAML after this point"));
        }

        return documents;
    }

    private readonly record struct DocumentRoot(YamlNode? Root);

    private sealed class Frame(SourceLocation start, bool isMapping, string? anchor)
    {
        // Most mappings in a manifest have a handful of keys: scanning them beats a dictionary per mapping.
        private const int ScannedKeys = 8;

        private List<YamlNode>? _items;
        private List<YamlEntry>? _entries;
        private Dictionary<string, YamlScalarNode>? _keys;

        public SourceLocation Start { get; } = start;
        public bool IsMapping { get; } = isMapping;
        public string? Anchor { get; } = anchor;
        public List<YamlNode> Items => _items ??= [];
        public List<YamlEntry> Entries => _entries ??= [];
        public YamlScalarNode? PendingKey { get; set; }

        /// <summary>Set when this flow mapping is really an unquoted template action, <c>{{ .Values.x }}</c>.</summary>
        public string? Template { get; set; }

        /// <summary>The first key written with this text, if any.</summary>
        public YamlScalarNode? FindKey(string text)
        {
            if (_keys is not null)
                return _keys.GetValueOrDefault(text);
            foreach (var entry in Entries)
            {
                if (entry.Key.Value == text)
                    return entry.Key;
            }

            return null;
        }

        /// <summary>Pairs the pending key with its value; the first of duplicate keys stays the one <see cref="FindKey"/> finds.</summary>
        public void AddEntry(YamlNode value)
        {
            var key = PendingKey!;
            Entries.Add(new YamlEntry(key, value));
            PendingKey = null;
            if (_keys is null && Entries.Count > ScannedKeys)
            {
                _keys = new Dictionary<string, YamlScalarNode>(StringComparer.Ordinal);
                foreach (var entry in Entries)
                    _keys.TryAdd(entry.Key.Value, entry.Key);
            }
            else
            {
                _keys?.TryAdd(key.Value, key);
            }
        }
    }

    /// <summary>Reads one document up to and including its end; null means "stop reading this file".</summary>
    private static DocumentRoot? ReadDocument(string file, IParser parser, ManifestLimits limits, List<Diagnostic> diagnostics)
    {
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        YamlNode? root = null;
        long weight = 0;

        while (true)
        {
            if (parser.TryConsume<DocumentEnd>(out _))
                return new DocumentRoot(root);

            var evt = parser.Consume<ParsingEvent>();
            var at = At(file, evt.Start);
            YamlNode? completed = null;
            switch (evt)
            {
                case Scalar scalar:
                    completed = new YamlScalarNode(at, scalar.Value, scalar.Style, TagOf(scalar));
                    Remember(anchors, scalar, completed);
                    weight++;
                    break;
                case AnchorAlias alias:
                    if (!anchors.TryGetValue(alias.Value.Value, out completed))
                    {
                        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, at, "", $"alias *{alias.Value.Value} refers to no anchor defined before it"));
                        return null;
                    }

                    weight += completed.Weight;
                    break;
                case SequenceStart seq:
                case MappingStart:
                    if (stack.Count >= limits.MaxDepth)
                    {
                        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TooDeep, at, "", $"nesting deeper than {limits.MaxDepth} levels"));
                        return null;
                    }

                    var node = (NodeEvent)evt;
                    stack.Push(new Frame(at, evt is MappingStart, node.Anchor.IsEmpty ? null : node.Anchor.Value));
                    weight++;
                    break;
                case SequenceEnd:
                    var seqFrame = stack.Pop();
                    completed = new YamlSequenceNode(seqFrame.Start, seqFrame.Items);
                    if (seqFrame.Anchor is not null)
                        anchors[seqFrame.Anchor] = completed;
                    break;
                case MappingEnd:
                    var mapFrame = stack.Pop();
                    if (mapFrame.Template is { } template)
                    {
                        completed = new YamlScalarNode(mapFrame.Start, template, ScalarStyle.Plain, null);
                        break;
                    }

                    if (MergeKeys.Expand(mapFrame.Entries, diagnostics) is not { } entries)
                        return null;
                    completed = new YamlMappingNode(mapFrame.Start, entries);
                    if (mapFrame.Anchor is not null)
                        anchors[mapFrame.Anchor] = completed;
                    break;
                default:
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, at, "", $"unexpected {evt.GetType().Name}"));
                    return null;
            }

            if (weight > limits.MaxExpandedNodes)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.AliasExpansion, at, "",
                    $"document expands to more than {limits.MaxExpandedNodes} nodes (aliases included); refusing to expand it"));
                return null;
            }

            if (completed is null)
                continue;
            if (stack.Count == 0)
            {
                root = completed;
                continue;
            }

            if (!Attach(stack.Peek(), completed, diagnostics))
                return null;
        }
    }

    private static bool Attach(Frame parent, YamlNode child, List<Diagnostic> diagnostics)
    {
        if (!parent.IsMapping)
        {
            parent.Items.Add(child);
            return true;
        }

        if (parent.Template is not null)
            return true;
        if (parent.PendingKey is null)
        {
            if (IsTemplateAction(parent, child) is { } template)
            {
                parent.Template = template;
                return true;
            }

            if (child is not YamlScalarNode key)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NonScalarKey, child.Start, "", "mapping keys must be plain strings"));
                return false;
            }

            if (parent.FindKey(key.Value) is { } first)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateKey, key.Start, "",
                    $"duplicate key \"{key.Value}\" (first at line {first.Start.Line}, column {first.Start.Column})"));
            }

            parent.PendingKey = key;
            return true;
        }

        parent.AddEntry(child);
        return true;
    }

    /// <summary>
    /// Unquoted, <c>{{ .Values.x }}</c> parses as a flow mapping whose only key is another flow mapping
    /// starting right after it; that is a template action, never a manifest's intent.
    /// </summary>
    private static string? IsTemplateAction(Frame parent, YamlNode child)
    {
        if (parent.Entries.Count > 0 || child is not YamlMappingNode { Entries: [var inner] } mapping
            || mapping.Start.Line != parent.Start.Line || mapping.Start.Column != parent.Start.Column + 1)
            return null;
        var text = $"{{{{ {inner.Key.Value} }}}}";
        return UnrenderedTemplate.Contains(text) ? text : null;
    }

    private static string LineAt(string text, int line)
    {
        var start = 0;
        for (var i = 1; i < line && start >= 0; i++)
            start = text.IndexOf('\n', start) is var next and >= 0 ? next + 1 : -1;
        if (start < 0 || start > text.Length)
            return "";
        var end = text.IndexOf('\n', start);
        return text[start..(end < 0 ? text.Length : end)];
    }

    private static void Remember(Dictionary<string, YamlNode> anchors, NodeEvent evt, YamlNode node)
    {
        if (!evt.Anchor.IsEmpty)
            anchors[evt.Anchor.Value] = node;
    }

    private static string? TagOf(NodeEvent evt) => evt.Tag.IsEmpty || evt.Tag.IsNonSpecific ? null : evt.Tag.Value;

    /// <summary>YAML forbids tabs in indentation; YamlDotNet's own message for them is cryptic, so we say it plainly.</summary>
    private static bool ReportTabs(string file, string text, List<Diagnostic> diagnostics)
    {
        var found = false;
        var line = 1;
        for (var i = 0; i < text.Length; line++)
        {
            var end = text.IndexOf('\n', i);
            if (end < 0)
                end = text.Length;
            var indentEnd = i;
            while (indentEnd < end && text[indentEnd] is ' ' or '\t')
                indentEnd++;
            var tab = text.IndexOf('\t', i, indentEnd - i);
            var blank = indentEnd == end || (indentEnd == end - 1 && text[indentEnd] == '\r');
            if (tab >= 0 && !blank)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TabIndentation, new SourceLocation(file, line, tab - i + 1), "",
                    "tab character in indentation; YAML indents with spaces only"));
                found = true;
            }

            i = end + 1;
        }

        return found;
    }

    private static SourceLocation At(string file, Mark mark) =>
        new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    /// <summary>YamlDotNet prefixes messages with the position, which our format already shows.</summary>
    private static string CleanMessage(YamlException e)
    {
        var message = e.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith('(') && close > 0)
            message = message[(close + 3)..];
        return message.Length == 0 ? "invalid YAML" : char.ToLowerInvariant(message[0]) + message[1..];
    }
}
