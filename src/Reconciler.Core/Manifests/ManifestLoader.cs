using System.Text;
using Reconciler.Core.FieldOwnership;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Manifests;

/// <summary>One manifest file's name and text, for loading from memory.</summary>
public sealed record ManifestSource(string File, string Text);

/// <summary>
/// Reads manifests into typed resources. Never throws for bad input: every problem becomes a
/// <see cref="Diagnostic"/> with file, line, column and field path.
/// </summary>
public static partial class ManifestLoader
{
    private const long ParallelParseFrom = 256 * 1024;

    private static readonly IReadOnlySet<string> TopLevelHandledByLoader = new HashSet<string>(StringComparer.Ordinal) { "kind" };

    /// <summary>The path that names standard input, as kubectl's <c>-f -</c> does (a file named "-" is <c>./-</c>).</summary>
    public const string StandardInput = "-";

    /// <summary>The name diagnostics give standard input, as kubectl's do.</summary>
    public const string StandardInputName = "STDIN";

    /// <summary>
    /// Loads files and folders (recursively, <c>*.yaml</c> and <c>*.yml</c>, in ordinal path order), and standard input
    /// where <see cref="StandardInput"/> is named (once, however often): from <paramref name="standardInput"/> when given.
    /// </summary>
    public static ManifestSet Load(IEnumerable<string> filesOrFolders, ManifestLimits? limits = null, Func<Stream>? standardInput = null)
    {
        ArgumentNullException.ThrowIfNull(filesOrFolders);
        limits ??= ManifestLimits.Default;
        var diagnostics = new List<Diagnostic>();
        var sources = new List<SourceFile>();
        var named = filesOrFolders.ToList();
        foreach (var file in ExpandPaths(named, diagnostics))
        {
            var piped = file == StandardInput;
            if ((piped ? ReadStandardInput(standardInput ?? ConsoleInput.Open, limits, diagnostics) : Read(file, limits, diagnostics)) is { } text)
                sources.Add(new(piped ? StandardInputName : file, text) { Piped = piped });
        }

        // Standard input says for itself when it held nothing (Parse).
        return Build(sources, limits, diagnostics, named.Count > 0 && !named.Contains(StandardInput) ? named : null);
    }

    /// <summary>Loads manifests held in memory, e.g. in tests.</summary>
    public static ManifestSet LoadYaml(string yaml, string file = "manifest.yaml", ManifestLimits? limits = null) =>
        LoadSources([new ManifestSource(file, yaml)], limits);

    /// <summary>Loads several in-memory files as one set.</summary>
    public static ManifestSet LoadSources(IEnumerable<ManifestSource> sources, ManifestLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        limits ??= ManifestLimits.Default;
        var diagnostics = new List<Diagnostic>();
        var accepted = new List<SourceFile>();
        foreach (var source in sources)
        {
            if (Encoding.UTF8.GetByteCount(source.Text) > limits.MaxFileBytes)
                diagnostics.Add(TooLarge(source.File, limits));
            else
                accepted.Add(new(source.File, SourceText.Of(source.Text)));
        }

        return Build(accepted, limits, diagnostics);
    }

    private static IEnumerable<string> ExpandPaths(IEnumerable<string> paths, List<Diagnostic> diagnostics)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var piped = false;
        foreach (var path in paths)
        {
            IEnumerable<string> files;
            if (path == StandardInput)
            {
                // Read once: a second read would find the stream at its end.
                if (!piped)
                    yield return path;
                piped = true;
                continue;
            }

            if (Directory.Exists(path))
            {
                var found = new List<string>();
                var root = RealPaths.Resolve(path) ?? Path.GetFullPath(path);
                Walk(path, root, root, [], [], found, diagnostics);
                files = found.Order(StringComparer.Ordinal);
            }
            else if (File.Exists(path))
            {
                files = [path];
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileNotFound, new SourceLocation(path, 0, 0), "", "no such file or folder"));
                continue;
            }

            foreach (var file in files.Where(f => seen.Add(Path.GetFullPath(f))))
                yield return file;
        }
    }

    /// <summary>
    /// The manifests under a folder, following symlinks as <c>kubectl apply -R</c> does as long as they lead to files and
    /// folders inside it: a link out of the folder (committed to a repository, it could point at any file of the machine
    /// that runs the check) is reported and not read, a link back to a folder being walked is reported as a loop
    /// instead of reading its files again and again, and a file that is not a regular one (a named pipe) is reported unopened.
    /// </summary>
    private static void Walk(string directory, string real, string root, HashSet<string> ancestors, HashSet<string> visited, List<string> files, List<Diagnostic> diagnostics)
    {
        if (!visited.Add(real))
            return;
        List<string> entries, folders;
        try
        {
            entries = [.. Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))];
            folders = [.. Directory.EnumerateDirectories(directory)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileUnreadable, new SourceLocation(directory, 0, 0), "", $"cannot read the folder: {e.Message}"));
            return;
        }

        ancestors.Add(real);
        foreach (var file in entries)
        {
            if (new FileInfo(file).LinkTarget is not null && !Contained(file, RealPaths.Resolve(file), root, diagnostics))
                continue;

            // Opening a named pipe waits for a writer that may never come, and a device or a socket is no manifest: a
            // file found in a folder is read only when it is a regular one (named with -f, it is read as cat reads it).
            if (FileKinds.Of(file) is var kind and not (FileKind.Regular or FileKind.None))
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NotRegularFile, new SourceLocation(file, 0, 0), "", $"{FileKinds.Describe(kind)}, not a regular file; not read. Name it with -f to read it."));
            else
                files.Add(file);
        }

        foreach (var child in folders)
        {
            var childReal = new DirectoryInfo(child).LinkTarget is null ? Path.Combine(real, Path.GetFileName(child)) : RealPaths.Resolve(child);
            if (!Contained(child, childReal, root, diagnostics))
                continue;
            if (ancestors.Contains(childReal!))
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SymlinkLoop, new SourceLocation(child, 0, 0), "", $"symlink loop: {child} leads back to {childReal}, which is already being read; not followed"));
                continue;
            }

            Walk(child, childReal!, root, ancestors, visited, files, diagnostics);
        }

        ancestors.Remove(real);
    }

    /// <summary>Whether a symlink's resolved target lies inside the folder being read; else reports it.</summary>
    private static bool Contained(string link, string? target, string root, List<Diagnostic> diagnostics)
    {
        if (target is null)
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SymlinkLoop, new SourceLocation(link, 0, 0), "", "a symbolic link that never resolves (a loop); not followed"));
        else if (!RealPaths.IsInside(target, root))
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.SymlinkOutside, new SourceLocation(link, 0, 0), "", $"a symbolic link to {target}, outside the folder being read ({root}); not read. Name it with -f to read it."));
        else
            return true;
        return false;
    }

    private static SourceText? Read(string file, ManifestLimits limits, List<Diagnostic> diagnostics)
    {
        try
        {
            if (SourceText.Read(file, limits.MaxFileBytes) is { } text)
                return text;
            diagnostics.Add(TooLarge(file, limits));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileUnreadable, new SourceLocation(file, 0, 0), "", $"cannot read the file: {e.Message}"));
            return null;
        }
    }

    private static SourceText? ReadStandardInput(Func<Stream> open, ManifestLimits limits, List<Diagnostic> diagnostics)
    {
        try
        {
            using var stream = open();
            if (SourceText.Read(stream, limits.MaxFileBytes) is { } text)
                return text;
            diagnostics.Add(TooLarge(StandardInputName, limits));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileUnreadable, new SourceLocation(StandardInputName, 0, 0), "", $"cannot read standard input: {e.Message}"));
            return null;
        }
    }

    private static Diagnostic TooLarge(string file, ManifestLimits limits) =>
        Diagnostic.Error(DiagnosticCodes.FileTooLarge, new SourceLocation(file, 0, 0), "", $"file is larger than {limits.MaxFileBytes} bytes");

    // named: the files and folders named, when holding no manifest at all is an error.
    private static ManifestSet Build(IReadOnlyList<SourceFile> sources, ManifestLimits limits, List<Diagnostic> diagnostics, IReadOnlyList<string>? named = null)
    {
        // Files parse independently and that is most of the work, so a large set parses in parallel; duplicates are
        // decided afterwards in file order, so resources and diagnostics come out as from a sequential read. A small
        // set (the example: 13 files, 40 KB) parses in a loop: the thread pool's start-up and spinning cost more CPU
        // than the files themselves.
        var parsed = new ParsedFile[sources.Count];
        if (sources.Count > 1 && SizeOf(sources) >= ParallelParseFrom)
            ParseInParallel(sources, limits, parsed);
        else
            for (var i = 0; i < sources.Count; i++)
                parsed[i] = Parse(sources[i], limits);
        return Assemble(parsed, diagnostics, named);
    }

    // A loop, not Enumerable.Sum: its generic code over long is compiled at start, not precompiled.
    private static long SizeOf(IReadOnlyList<SourceFile> sources)
    {
        var size = 0L;
        foreach (var source in sources)
            size += source.Text.Length;
        return size;
    }

    // A method of its own, so that a small set never loads System.Threading.Tasks.Parallel.
    private static void ParseInParallel(IReadOnlyList<SourceFile> sources, ManifestLimits limits, ParsedFile[] parsed) =>
        Parallel.For(0, sources.Count, i => parsed[i] = Parse(sources[i], limits));

    private static ManifestSet Assemble(IEnumerable<ParsedFile> parsed, List<Diagnostic> diagnostics, IReadOnlyList<string>? named = null)
    {
        var resources = new List<Resource>();
        var declared = new Dictionary<ResourceId, SourceLocation>();
        var positions = new Dictionary<ResourceId, DocumentPositions>();
        foreach (var file in parsed)
        {
            var next = 0;
            foreach (var (loaded, diagnosticsEnd, _) in file.Documents)
            {
                for (; next < diagnosticsEnd; next++)
                    diagnostics.Add(file.Diagnostics[next]);
                if (loaded.Id is not { } id)
                    continue;
                if (declared.TryGetValue(id, out var first))
                {
                    diagnostics.Add(Diagnostic.Error(DiagnosticCodes.DuplicateResource, loaded.At, "metadata.name",
                        $"{id} is defined twice: here and at {first}") with { Related = first });
                    continue;
                }

                declared[id] = loaded.At;
                if (loaded.Resource is not null)
                {
                    resources.Add(loaded.Resource);
                    positions[id] = loaded.Positions!;
                }
            }

            for (; next < file.Diagnostics.Count; next++)
                diagnostics.Add(file.Diagnostics[next]);
        }

        // kubectl refuses it too ("no objects passed to apply"): a folder named by mistake, or emptied by a bad merge,
        // would be valid, and with --prune a plan to delete everything Reconciler manages.
        if (named is not null && declared.Count == 0 && !diagnostics.Exists(d => d.IsError))
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NoManifests, new SourceLocation(named[0], 0, 0), "",
                $"no manifests: {(named.Count == 1 ? "it holds" : $"it and {string.Join(", ", named.Skip(1))} hold")} no resource (folders are searched for *.yaml and *.yml)"));
        return new ManifestSet(resources, [.. diagnostics], declared.Keys.ToHashSet(), positions);
    }

    /// <summary>One file's documents and diagnostics.</summary>
    private sealed record ParsedFile(List<DocumentRead> Documents, List<Diagnostic> Diagnostics);

    /// <summary>
    /// A resource read (a document, or an item of a list document), the count of its file's diagnostics up to and
    /// including it, and the index of its document in the file. A class, not a tuple: a list of a
    /// tuple of structs is the framework's generic code, compiled at every start; a list of a class is precompiled.
    /// </summary>
    private sealed record DocumentRead(LoadedDocument Document, int DiagnosticsEnd, int Index);

    /// <summary>A file to parse: its path and its text (a class, not a tuple, for the same reason as <see cref="DocumentRead"/>).</summary>
    private sealed record SourceFile(string File, SourceText Text)
    {
        /// <summary>Read from standard input, where nothing at all is an error: a render that failed upstream of the pipe.</summary>
        public bool Piped { get; init; }
    }

    private static ParsedFile Parse(SourceFile source, ManifestLimits limits)
    {
        var diagnostics = new List<Diagnostic>();
        if (source.Text.FirstInvalidUtf8() is var (line, column, bad))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidEncoding, new SourceLocation(source.File, line, column), "", $"the file is not UTF-8 here: byte 0x{bad:X2} does not start or continue a character; manifests are UTF-8 (or UTF-16 or UTF-32 with a byte order mark)"));
            return new ParsedFile([], diagnostics);
        }

        var loaded = new LoadedDocuments(new FileTrees(source.File, source.Text, limits), new ShapeChecker(source.File, diagnostics), diagnostics, limits.MaxDocumentsPerFile);
        YamlTreeReader.Read(source.File, source.Text.Decode(), limits, diagnostics, loaded);

        // kubectl refuses it too ("no objects passed to apply"): with --prune, an empty set would delete everything.
        if (source.Piped && loaded.Documents.TrueForAll(read => read.Document.Id is null) && diagnostics.Count == 0)
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NoManifests, new SourceLocation(source.File, 0, 0), "", "standard input held no manifests; did the command before the pipe fail?"));
        return new ParsedFile(loaded.Documents, diagnostics);
    }

    /// <summary>
    /// A file's documents loaded as the reader completes each one: its tree is garbage before the next is read, rather
    /// than the whole file's trees living (and being copied by each collection) until the last one is read.
    /// </summary>
    private sealed class LoadedDocuments(FileTrees trees, ShapeChecker checker, List<Diagnostic> diagnostics, int maxResources) : IYamlDocuments
    {
        public List<DocumentRead> Documents { get; } = [];

        /// <summary>The documents read, each a list's items or one resource.</summary>
        public int Count { get; private set; }

        public void Add(YamlDocumentNode document)
        {
            var index = Count++;
            if (document.Root is YamlMappingNode root && ListOf(root) is { } list)
                LoadList(root, list, trees, index, checker, Documents, diagnostics, maxResources);
            else
                Documents.Add(new(LoadDocument(document, trees, index, checker, diagnostics), diagnostics.Count, index));
        }

        // The reader that gave up rolls the diagnostics back too, the loaded documents' included.
        public void RemoveFrom(int count)
        {
            Count = count;
            var first = Documents.FindIndex(read => read.Index >= count);
            if (first >= 0)
                Documents.RemoveRange(first, Documents.Count - first);
        }
    }

    private readonly record struct LoadedDocument(ResourceId? Id, SourceLocation At, Resource? Resource, DocumentPositions? Positions);

    /// <summary>
    /// Checks one document with the file's checker (whose diagnostics are <paramref name="diagnostics"/>); the resource's
    /// positions are found later in <paramref name="trees"/>' document <paramref name="index"/>, which is this one.
    /// </summary>
    private static LoadedDocument LoadDocument(YamlDocumentNode document, FileTrees trees, int index, ShapeChecker checker, List<Diagnostic> diagnostics)
    {
        var none = new LoadedDocument(null, document.Start, null, null);
        switch (document.Root)
        {
            case null:
            case YamlScalarNode scalar when ShapeChecker.Resolve(scalar) == ShapeChecker.Scalar.Null:
                return none;
            case not YamlMappingNode:
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.NotAMapping, document.Root.Start.In(document.Start.File), "",
                    "a manifest document must be a mapping with apiVersion, kind, metadata and spec"));
                return none;
        }

        return LoadResource((YamlMappingNode)document.Root, null, trees, index, -1, checker);
    }

    /// <summary>
    /// Checks one resource, a document's root or an item (<paramref name="item"/> ≥ 0) of a list (<paramref name="list"/>)
    /// that is document <paramref name="index"/> of its file.
    /// </summary>
    private static LoadedDocument LoadResource(YamlMappingNode root, ListHeader? list, FileTrees trees, int index, int item, ShapeChecker checker)
    {
        var file = trees.File;
        var none = new LoadedDocument(null, root.Start.In(file), null, null);
        checker.StartDocument();
        if (KindOf(root, list?.Items, checker) is not { } kind)
            return none;

        var shape = ModelShapes.For(kind);
        var resource = (Resource)checker.CheckObject(root, shape, TopLevelHandledByLoader);
        CheckApiVersion(root, list?.ApiVersion, checker);

        // A document that failed is only half built: its required members may be null.
        if (((ObjectMeta?)resource.Metadata)?.Name is not { } name)
            return none;

        var id = new ResourceId(kind.Kind, name);
        var at = DocumentPositions.TryLocate(file, root, shape, TopLevelHandledByLoader, "metadata.name", out var written) ? written : root.Start.In(file);
        if (checker.Failed)
            return none with { Id = id, At = at };
        var owned = DocumentPositions.Written(file, root, shape, TopLevelHandledByLoader, FieldOwners.Ownable(kind.Kind));
        return new LoadedDocument(id, at, resource with { Source = root.Start.In(file).ToSpan() },
            new DocumentPositions(trees, index, item, shape, TopLevelHandledByLoader, owned));
    }

    /// <summary>The resource's kind; an item of a kind's list that names none has the list's (<paramref name="listed"/>).</summary>
    private static ResourceKindInfo? KindOf(YamlMappingNode root, ResourceKindInfo? listed, ShapeChecker checker)
    {
        var value = ValueOf(root, "kind");
        if (value is null && listed is not null)
            return listed;
        if (value is null)
        {
            checker.Error(DiagnosticCodes.MissingRequired, root.Start, "kind", "required field \"kind\" is missing");
            return null;
        }

        if (value is not YamlScalarNode { } scalar || ShapeChecker.Resolve(scalar) != ShapeChecker.Scalar.String)
        {
            checker.Error(DiagnosticCodes.WrongType, value.Start, "kind", "expected a string naming the kind");
            return null;
        }

        if (ResourceCatalog.Find(scalar.Value) is { } kind)
            return kind;
        var known = ResourceCatalog.Kinds.Select(k => k.Kind).ToList();
        checker.Error(DiagnosticCodes.UnknownKind, scalar.Start, "kind",
            $"unknown kind {ShapeChecker.Quote(scalar.Value)}{Suggestions.DidYouMean(scalar.Value, known)} (known kinds: {string.Join(", ", known)})");
        return null;
    }

    private static YamlNode? ValueOf(YamlMappingNode mapping, string key) =>
        ShapeChecker.Index(mapping.Entries, key) is >= 0 and var index ? mapping.Entries[index].Value : null;

    /// <summary>Checks the resource's apiVersion; an item of a kind's list that names none has the list's (<paramref name="listed"/>).</summary>
    private static void CheckApiVersion(YamlMappingNode root, YamlNode? listed, ShapeChecker checker)
    {
        var written = ValueOf(root, "apiVersion") ?? listed;
        if (written is null)
        {
            checker.Error(DiagnosticCodes.MissingRequired, root.Start, "apiVersion", $"required field \"apiVersion\" is missing; use {Resource.GroupVersion}");
            return;
        }

        if (written is YamlScalarNode { Value: var value } && value != Resource.GroupVersion)
        {
            checker.Error(DiagnosticCodes.UnknownApiVersion, written.Start, "apiVersion",
                $"unknown apiVersion {ShapeChecker.Quote(value)}; expected {Resource.GroupVersion}");
        }
    }
}
