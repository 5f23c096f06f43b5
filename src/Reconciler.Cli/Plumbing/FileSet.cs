using Reconciler.Core.Manifests;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// Text files in one folder, written all or none (export's files of each kind, import's edited and new manifests, the
/// schemas and CRDs).
/// Every target is checked before anything is written: it must be a regular file or not exist yet, its folder must
/// exist, and it must lie inside the folder once symbolic links are resolved. A link that stays inside is followed
/// (the link is kept and the file it names is written, as a link kept in git is meant to be), so no name or link can
/// make a command write elsewhere; two names for one file are refused. Then each file is written beside its target
/// (<see cref="AtomicFile.WriteBeside"/>), and only when all are written whole are they named and then renamed into place: a full disk,
/// a failed write or Ctrl+C leaves every file as it was. The folder is created if missing (and there is something to
/// write), and removed again when nothing could be written into it. A failure is an <see cref="IOException"/> whose
/// message is one line naming the file.
/// </summary>
internal sealed class FileSet(string folder)
{
    private readonly List<(string Path, string Text)> _files = [];

    public void Add(string path, string text) => _files.Add((path, text));

    /// <summary>
    /// Writes generated files (schema's, crds') as one set into <paramref name="folder"/>, made when missing with the
    /// folders inside it that <paramref name="files"/>' relative paths name; returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(string folder, IEnumerable<(string RelativePath, string Text)> files)
    {
        var set = new FileSet(folder);
        foreach (var (relative, text) in files)
        {
            var path = Path.Combine(folder, relative);
            // A set is written into folders that exist: a layout's own (the catalog's {group}/) is made first.
            if (Path.GetDirectoryName(relative) is { Length: > 0 })
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            set.Add(path, text);
        }

        set.Write();
        return [.. set._files.Select(f => f.Path)];
    }

    public void Write(CancellationToken cancellationToken = default)
    {
        var root = RealPaths.Resolve(folder) ?? throw new IOException($"cannot write to {folder}: too many levels of symbolic links");
        if (File.Exists(root))
            throw new IOException($"cannot write to {folder}: it is a file, not a folder");
        var targets = new List<string>(_files.Count);
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, _) in _files)
        {
            var target = Target(path, root);
            if (!named.TryAdd(target, path))
                throw Refused(path, $"it is the same file as {named[target]}");
            targets.Add(target);
        }

        // An import that changes nothing makes no folder either.
        if (_files.Count == 0)
            return;
        var created = Created(root);
        var temporaries = new List<StagedFile>(_files.Count);
        try
        {
            for (var i = 0; i < _files.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var bytes = AtomicFile.Utf8.GetBytes(_files[i].Text);
                temporaries.Add(AtomicFile.WriteBeside(_files[i].Path, targets[i], stream => stream.Write(bytes)));
            }

            for (var i = 0; i < temporaries.Count; i++)
                AtomicFile.Name(_files[i].Path, temporaries[i]);
        }
        catch (Exception e)
        {
            foreach (var temporary in temporaries)
                temporary.Dispose();
            foreach (var made in created)
                Directory.Delete(made);
            if (e is IOException)
                throw new IOException($"{e.Message}; nothing was written", e);
            throw;
        }

        // Past this point the content is on disk: renames are not cancelled, so Ctrl+C cannot leave half the set renamed.
        try
        {
            for (var i = 0; i < targets.Count; i++)
            {
                try
                {
                    AtomicFile.Replace(_files[i].Path, targets[i], temporaries[i]);
                }
                catch (IOException e)
                {
                    throw new IOException($"{e.Message}; {i} of {targets.Count} files were written before it", e);
                }
            }
        }
        finally
        {
            foreach (var temporary in temporaries)
                temporary.Dispose();
        }
    }

    /// <summary>Where <paramref name="path"/>'s content goes, every symbolic link resolved, or why it cannot go there.</summary>
    private string Target(string path, string root)
    {
        var target = RealPaths.Resolve(path) ?? throw Refused(path, "too many levels of symbolic links");
        if (!RealPaths.IsInside(target, root))
            throw Refused(path, $"it leads to {target}, outside {folder}");
        if (Directory.Exists(target))
            throw Refused(path, "it is a folder, not a file");
        if (FileKinds.Of(target) is not (FileKind.Regular or FileKind.None) and var kind)
            throw Refused(path, $"it is {FileKinds.Describe(kind)}, not a regular file");
        var parent = Path.GetDirectoryName(target)!;
        if (parent != root && !Directory.Exists(parent))
            throw Refused(path, $"the folder {parent} does not exist");
        return target;
    }

    private static IOException Refused(string path, string reason) => new($"cannot write {path}: {reason}; nothing was written");

    /// <summary>Creates <paramref name="root"/> if it is missing; the folders made, innermost first, to remove if the write fails.</summary>
    private List<string> Created(string root)
    {
        var missing = new List<string>();
        for (var current = root; !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
            missing.Add(current);
        try
        {
            Directory.CreateDirectory(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create {folder}: {AtomicFile.Reason(e)}", e);
        }

        return missing;
    }
}
