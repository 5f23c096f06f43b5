using YamlDotNet.Core;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Turns a stream of parse events into <see cref="YamlNode"/> trees and enforces the limits, whichever reader
/// produced the events. Iterative, so depth is a limit we report rather than a stack overflow. Every method
/// returns false when the file must stop here; the documents completed before stay.
/// </summary>
internal sealed class YamlTreeBuilder(ManifestLimits limits, List<Diagnostic> diagnostics)
{
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);

    // The open collections, innermost last; frames (and their buffers) are reused by every collection of the file at
    // their depth, and a completed collection keeps an exact-size copy, so a node costs no frame or list of its own.
    private readonly List<Frame> _frames = [];
    private int _depth;
    private SourceLocation _documentStart;
    private YamlNode? _root;
    private long _weight;

    public List<YamlDocumentNode> Documents { get; } = [];

    public bool StartDocument(SourceLocation at)
    {
        if (Documents.Count == limits.MaxDocumentsPerFile)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TooManyDocuments, at, "",
                $"more than {limits.MaxDocumentsPerFile} documents in one file"));
            return false;
        }

        _anchors.Clear();
        _depth = 0;
        _documentStart = at;
        _root = null;
        _weight = 0;
        return true;
    }

    public void EndDocument() => Documents.Add(new YamlDocumentNode(_documentStart, _root));

    /// <summary>What <see cref="Rollback"/> goes back to: the documents and diagnostics written so far.</summary>
    public (int Documents, int Diagnostics) Checkpoint() => (Documents.Count, diagnostics.Count);

    /// <summary>
    /// Forgets the documents and diagnostics written since <paramref name="checkpoint"/> (a reader that gave up on the
    /// file). Open collections are closed; the rest of the document in progress is reset by the next document's start.
    /// </summary>
    public void Rollback((int Documents, int Diagnostics) checkpoint)
    {
        Documents.RemoveRange(checkpoint.Documents, Documents.Count - checkpoint.Documents);
        diagnostics.RemoveRange(checkpoint.Diagnostics, diagnostics.Count - checkpoint.Diagnostics);
        _depth = 0;
    }

    public bool Scalar(SourceLocation at, string value, ScalarStyle style, string? tag, string? anchor)
    {
        var scalar = new YamlScalarNode(at, value, style, tag);
        if (anchor is not null)
            _anchors[anchor] = scalar;
        _weight++;
        return WithinWeight(at) && Completed(scalar);
    }

    public bool Alias(SourceLocation at, string anchor)
    {
        if (!_anchors.TryGetValue(anchor, out var node))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, at, "", $"alias *{anchor} refers to no anchor defined before it"));
            return false;
        }

        _weight += node.Weight;
        return WithinWeight(at) && Completed(node);
    }

    public bool StartCollection(SourceLocation at, bool isMapping, string? anchor)
    {
        if (_depth >= limits.MaxDepth)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TooDeep, at, "", $"nesting deeper than {limits.MaxDepth} levels"));
            return false;
        }

        if (_depth == _frames.Count)
            _frames.Add(new Frame());
        _frames[_depth++].Open(at, isMapping, anchor);
        _weight++;
        return WithinWeight(at);
    }

    public bool EndCollection()
    {
        var frame = _frames[--_depth];
        YamlNode completed;
        if (!frame.IsMapping)
        {
            completed = new YamlSequenceNode(frame.Start, frame.Items.ToArray());
        }
        else if (frame.Template is { } template)
        {
            return Completed(new YamlScalarNode(frame.Start, template, ScalarStyle.Plain, null));
        }
        else
        {
            if (MergeKeys.Expand(frame.Entries, diagnostics) is not { } entries)
                return false;
            completed = new YamlMappingNode(frame.Start, entries.ToArray());
        }

        if (frame.Anchor is not null)
            _anchors[frame.Anchor] = completed;
        return Completed(completed);
    }

    private bool WithinWeight(SourceLocation at)
    {
        if (_weight <= limits.MaxExpandedNodes)
            return true;
        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.AliasExpansion, at, "",
            $"document expands to more than {limits.MaxExpandedNodes} nodes (aliases included); refusing to expand it"));
        return false;
    }

    private bool Completed(YamlNode node)
    {
        if (_depth == 0)
        {
            _root = node;
            return true;
        }

        return Attach(_frames[_depth - 1], node);
    }

    private bool Attach(Frame parent, YamlNode child)
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

    private sealed class Frame
    {
        // Most mappings in a manifest have a handful of keys: scanning them beats a dictionary per mapping.
        private const int ScannedKeys = 8;

        private readonly Dictionary<string, YamlScalarNode> _keys = new(StringComparer.Ordinal);
        private bool _keyed;

        public SourceLocation Start { get; private set; }
        public bool IsMapping { get; private set; }
        public string? Anchor { get; private set; }
        public List<YamlNode> Items { get; } = [];
        public List<YamlEntry> Entries { get; } = [];
        public YamlScalarNode? PendingKey { get; set; }

        /// <summary>Set when this flow mapping is really an unquoted template action, <c>{{ .Values.x }}</c>.</summary>
        public string? Template { get; set; }

        /// <summary>Readies the frame for a new collection at its depth.</summary>
        public void Open(SourceLocation start, bool isMapping, string? anchor)
        {
            Start = start;
            IsMapping = isMapping;
            Anchor = anchor;
            Items.Clear();
            Entries.Clear();
            PendingKey = null;
            Template = null;
            if (_keyed)
                _keys.Clear();
            _keyed = false;
        }

        /// <summary>The first key written with this text, if any.</summary>
        public YamlScalarNode? FindKey(string text)
        {
            if (_keyed)
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
            if (_keyed)
            {
                _keys.TryAdd(key.Value, key);
            }
            else if (Entries.Count > ScannedKeys)
            {
                _keyed = true;
                foreach (var entry in Entries)
                    _keys.TryAdd(entry.Key.Value, entry.Key);
            }
        }
    }
}
