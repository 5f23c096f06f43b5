using Reconciler.Core.Manifests;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// The working directory's state folder, <c>.reconciler/</c>: the embedded platform's database, the state lock and the
/// pending creates. A repository can commit it, or a file in it, as a symbolic link (<c>.reconciler -&gt; /etc</c>,
/// <c>pending-creates.json -&gt; /dev/zero</c>), and the CLI would create its database where the link leads or read a
/// device without end; so before anything is written the folder must be a real folder and each state file a regular
/// file, or not there yet.
/// </summary>
internal static class StateFolder
{
    public const string Name = ".reconciler";

    /// <summary>The state folder of <paramref name="workingDirectory"/>.</summary>
    public static string Of(string workingDirectory) => Path.Combine(workingDirectory, Name);

    /// <summary>Why the state folder, or one of the <paramref name="files"/> in it, may not be used; null when they may.</summary>
    public static string? Problem(string workingDirectory, params ReadOnlySpan<string> files)
    {
        var folder = Of(workingDirectory);
        switch (FileKinds.Of(folder, followLinks: false))
        {
            case FileKind.None:
                return null;
            case FileKind.Directory:
                break;
            case var kind:
                return $"{folder} is {FileKinds.Describe(kind)}; the state folder must be a real folder in the working directory (remove it, and keep {Name} out of the repository)";
        }

        foreach (var file in files)
        {
            var path = Path.Combine(folder, file);
            if (FileKinds.Of(path, followLinks: false) is not (FileKind.None or FileKind.Regular) and var kind)
                return $"{path} is {FileKinds.Describe(kind)}; a state file must be a regular file (remove it, and keep {Name} out of the repository)";
        }

        return null;
    }
}
