using Reconciler.Platform.Contract.Rules;
using YamlDotNet.Core;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Turns a stream of parse events into <see cref="YamlNode"/> trees and enforces the limits, whichever reader
/// produced the events. Iterative, so depth is a limit we report rather than a stack overflow. Every method
/// returns false when the file must stop here; the documents completed before stay.
/// </summary>
internal sealed class YamlTreeBuilder(string file, ManifestLimits limits, List<Diagnostic> diagnostics, IYamlDocuments documents)
{
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);

    // The open collections, innermost last; frames (and their buffers) are reused by every collection of the file at
    // their depth, and a completed collection keeps an exact-size copy, so a node costs no frame or list of its own.
    private readonly List<Frame> _frames = [];
    private int _depth;
    private TextPosition _documentStart;
    private YamlNode? _root;
    private long _weight;

    /// <summary>A builder whose documents are kept as trees in <see cref="Documents"/>.</summary>
    public YamlTreeBuilder(string file, ManifestLimits limits, List<Diagnostic> diagnostics)
        : this(file, limits, diagnostics, new YamlDocumentList())
    {
    }

    public IYamlDocuments Documents { get; } = documents;

    /// <summary>The last problem listed for a file that has <see cref="ManifestLimits.MaxDiagnosticsPerFile"/> already.</summary>
    public static Diagnostic TooManyProblems(SourceLocation at, ManifestLimits limits) =>
        Diagnostic.Error(DiagnosticCodes.TooManyProblems, at, "",
            $"more than {limits.MaxDiagnosticsPerFile} problems in this file; the rest of it is not checked (fix these and validate again)");

    public bool StartDocument(TextPosition at)
    {
        if (diagnostics.Count >= limits.MaxDiagnosticsPerFile)
        {
            diagnostics.Add(TooManyProblems(at.In(file), limits));
            return false;
        }

        if (Documents.Count == limits.MaxDocumentsPerFile)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TooManyDocuments, at.In(file), "",
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

    public void EndDocument() => Documents.Add(new YamlDocumentNode(_documentStart.In(file), _root));

    /// <summary>What <see cref="Rollback"/> goes back to: the documents and diagnostics written so far.</summary>
    public (int Documents, int Diagnostics) Checkpoint() => (Documents.Count, diagnostics.Count);

    /// <summary>
    /// Forgets the documents and diagnostics written since <paramref name="checkpoint"/> (a reader that gave up on the
    /// file). Open collections are closed; the rest of the document in progress is reset by the next document's start.
    /// </summary>
    public void Rollback((int Documents, int Diagnostics) checkpoint)
    {
        Documents.RemoveFrom(checkpoint.Documents);
        diagnostics.RemoveRange(checkpoint.Diagnostics, diagnostics.Count - checkpoint.Diagnostics);
        _depth = 0;
    }

    public bool Scalar(TextPosition at, string value, ScalarStyle style, ScalarTag tag, string? anchor)
    {
        var scalar = new YamlScalarNode(at, value, style, tag);
        if (anchor is not null)
            _anchors[anchor] = scalar;
        _weight++;
        return WithinWeight(at) && Completed(scalar);
    }

    public bool Alias(TextPosition at, string anchor)
    {
        if (!_anchors.TryGetValue(anchor, out var node))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, at.In(file), "", $"alias *{Excerpt.Of(anchor)} refers to no anchor defined before it"));
            return false;
        }

        _weight += node.Weight;
        return WithinWeight(at) && Completed(node);
    }

    public bool StartCollection(TextPosition at, bool isMapping, string? anchor)
    {
        if (_depth >= limits.MaxDepth)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TooDeep, at.In(file), "", $"nesting deeper than {limits.MaxDepth} levels"));
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
            completed = new YamlSequenceNode(frame.Start, frame.ItemsArray());
        }
        else if (frame.Template is { } template)
        {
            return Completed(new YamlScalarNode(frame.Start, template, ScalarStyle.Plain));
        }
        else
        {
            if (frame.CompleteEntries(file, diagnostics) is not { } entries)
                return false;
            completed = new YamlMappingNode(frame.Start, entries);
        }

        if (frame.Anchor is not null)
            _anchors[frame.Anchor] = completed;
        return Completed(completed);
    }

    private bool WithinWeight(TextPosition at)
    {
        if (_weight <= limits.MaxExpandedNodes)
            return true;
        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.AliasExpansion, at.In(file), "",
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
            parent.AddItem(child);
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
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NonScalarKey, child.Start.In(file), "", "mapping keys must be plain strings"));
                return false;
            }

            if (parent.FindKey(key.Value) is { } first)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateKey, key.Start.In(file), "",
                    $"duplicate key {Excerpt.Quoted(key.Value)} (first at line {first.Start.Line}, column {first.Start.Column})"));
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
        if (parent.EntryCount > 0 || child is not YamlMappingNode { Entries: [var inner] } mapping
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

        // Buffers of our own rather than List<YamlEntry>: the framework's generic code over our struct is not precompiled
        // in a ReadyToRun build, and ran at tier 0 for the first thousands of mappings of every run.
        private YamlEntry[] _entries = new YamlEntry[16];
        private int _entryCount;
        private YamlNode[] _items = new YamlNode[16];
        private int _itemCount;

        public TextPosition Start { get; private set; }
        public bool IsMapping { get; private set; }
        public string? Anchor { get; private set; }
        public YamlScalarNode? PendingKey { get; set; }

        /// <summary>Set when this flow mapping is really an unquoted template action, <c>{{ .Values.x }}</c>.</summary>
        public string? Template { get; set; }

        public int EntryCount => _entryCount;

        /// <summary>Readies the frame for a new collection at its depth.</summary>
        public void Open(TextPosition start, bool isMapping, string? anchor)
        {
            Start = start;
            IsMapping = isMapping;
            Anchor = anchor;
            Array.Clear(_items, 0, _itemCount);
            _itemCount = 0;
            Array.Clear(_entries, 0, _entryCount);
            _entryCount = 0;
            PendingKey = null;
            Template = null;
            if (_keyed)
                _keys.Clear();
            _keyed = false;
        }

        public void AddItem(YamlNode item)
        {
            if (_itemCount == _items.Length)
                _items = Copy(_items, _itemCount, _itemCount * 2);
            _items[_itemCount++] = item;
        }

        /// <summary>An exact-size copy of the sequence's items.</summary>
        public YamlNode[] ItemsArray() => Copy(_items, _itemCount, _itemCount);

        /// <summary>The mapping's entries, merge keys expanded, in an exact-size array; null when a merge key is invalid (reported).</summary>
        public YamlEntry[]? CompleteEntries(string file, List<Diagnostic> diagnostics) =>
            MergeKeys.Expand(file, Copy(_entries, _entryCount, _entryCount), diagnostics);

        /// <summary>The first key written with this text, if any.</summary>
        public YamlScalarNode? FindKey(string text)
        {
            if (_keyed)
                return _keys.GetValueOrDefault(text);
            for (var i = 0; i < _entryCount; i++)
            {
                if (_entries[i].Key.Value == text)
                    return _entries[i].Key;
            }

            return null;
        }

        /// <summary>Pairs the pending key with its value; the first of duplicate keys stays the one <see cref="FindKey"/> finds.</summary>
        public void AddEntry(YamlNode value)
        {
            var key = PendingKey!;
            if (_entryCount == _entries.Length)
                _entries = Copy(_entries, _entryCount, _entryCount * 2);
            _entries[_entryCount++] = new YamlEntry(key, value);
            PendingKey = null;
            if (_keyed)
            {
                _keys.TryAdd(key.Value, key);
            }
            else if (_entryCount > ScannedKeys)
            {
                _keyed = true;
                for (var i = 0; i < _entryCount; i++)
                    _keys.TryAdd(_entries[i].Key.Value, _entries[i].Key);
            }
        }

        /// <summary>
        /// The first <paramref name="count"/> elements in a new array of <paramref name="length"/>: our own generic code (which
        /// a ReadyToRun build precompiles for our types) over the non-generic Array.Copy, where Array.Resize&lt;T&gt; and
        /// ToArray would be compiled at run time.
        /// </summary>
        private static T[] Copy<T>(T[] source, int count, int length)
        {
            var copy = new T[length];
            Array.Copy(source, copy, count);
            return copy;
        }
    }
}
