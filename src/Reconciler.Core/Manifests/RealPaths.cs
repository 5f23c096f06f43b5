namespace Reconciler.Core.Manifests;

/// <summary>
/// Where a path really is, every symbolic link along it resolved as realpath(3) does, and whether that lies inside a
/// folder: what keeps a manifest folder, a secret reference or a saved plan from making the tool read a file it was
/// not pointed at.
/// </summary>
public static class RealPaths
{
    /// <summary>Linux's own limit on symlinks followed while resolving one path (ELOOP).</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// The full path with every symbolic link resolved as the kernel resolves it (missing parts kept as written); null
    /// on a link loop. The path itself is made full as .NET makes it before opening it, ".." collapsed as written; a
    /// link's target is not: its ".." is the parent of where the components before it really lead.
    /// </summary>
    public static string? Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        var pending = new Stack<string>(Parts(full[root.Length..]).Reverse());
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
                return null;
            if (Path.IsPathRooted(target))
                current = Path.GetPathRoot(target)!;
            foreach (var inner in Parts(Path.IsPathRooted(target) ? target[Path.GetPathRoot(target)!.Length..] : target).Reverse())
                pending.Push(inner);
        }

        return current;
    }

    /// <summary>Whether the resolved path <paramref name="real"/> is the resolved folder <paramref name="root"/> or lies under it.</summary>
    public static bool IsInside(string real, string root)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(root);
        var folder = root.TrimEnd(Path.DirectorySeparatorChar);
        return real == folder || real.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || folder.Length == 0;
    }

    private static string[] Parts(string path) => path.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
}
