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

    /// <summary>The full path with every symbolic link resolved, component by component (missing parts kept as written); null on a link loop.</summary>
    public static string? Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    /// <summary>Whether the resolved path <paramref name="real"/> is the resolved folder <paramref name="root"/> or lies under it.</summary>
    public static bool IsInside(string real, string root)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(root);
        var folder = root.TrimEnd(Path.DirectorySeparatorChar);
        return real == folder || real.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || folder.Length == 0;
    }

    private static string? Resolve(string full, ref int links)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                    return null;
                var resolved = Resolve(Path.GetFullPath(target, current), ref links);
                if (resolved is null)
                    return null;
                next = resolved;
            }

            current = next;
        }

        return current;
    }
}
