namespace Reconciler.Cli.Tests;

/// <summary>Where the repository's checked-in files (examples, schemas, the solution) are, seen from the test output folder.</summary>
public static class TestRepository
{
    /// <summary>The folder holding <c>Reconciler.sln</c>.</summary>
    public static string Root { get; } = Find();

    /// <summary>The example organisation, <c>examples/acme-support</c>.</summary>
    public static string Example => Path.Combine(Root, "examples", "acme-support");

    /// <summary>Copies the example, its secrets folder included, to <paramref name="target"/>, for a test that writes beside it or edits it.</summary>
    public static void CopyExample(string target)
    {
        foreach (var file in Directory.EnumerateFiles(Example, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Example, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reconciler.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Reconciler.sln not found above the test folder.");
    }
}
