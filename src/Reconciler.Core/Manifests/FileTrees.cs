namespace Reconciler.Core.Manifests;

/// <summary>
/// The YAML trees of one file, for finding where a field was written. A loaded set keeps the file's text rather than its
/// trees: at 10,000 agents the trees are 23 MB live through the whole load against the files' 3.6 MB of UTF-8, and only a diagnostic
/// asks for a position. The first one asked reads the text again with the same reader and limits, which gives the same
/// trees; those then stay for the next.
/// </summary>
internal sealed class FileTrees
{
    private readonly SourceText? _text;
    private readonly ManifestLimits _limits;
    private IReadOnlyList<YamlDocumentNode>? _documents;
    private object? _reading;

    public FileTrees(string file, SourceText text, ManifestLimits limits)
    {
        File = file;
        _text = text;
        _limits = limits;
    }

    /// <summary>Trees not read from text (the operator's objects): kept as they are.</summary>
    public FileTrees(string file, IReadOnlyList<YamlDocumentNode> documents)
    {
        File = file;
        _documents = documents;
        _limits = ManifestLimits.Default;
    }

    public string File { get; }

    /// <summary>The root of the document at <paramref name="index"/> in the order the reader returns them.</summary>
    public YamlNode? Root(int index) => Documents[index].Root;

    // Rules ask from several threads (a large set's wire checks run in parallel): the file is read once, under a lock,
    // not once per thread that asks before the first read is done (a whole file's trees each, on every core).
    private IReadOnlyList<YamlDocumentNode> Documents =>
        _documents ?? LazyInitializer.EnsureInitialized(ref _documents, ref _reading, () => YamlTreeReader.Read(File, _text!.Decode(), _limits, []))!;
}
