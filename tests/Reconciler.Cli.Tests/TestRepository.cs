namespace Reconciler.Cli.Tests;

/// <summary>Where the repository's checked-in files (examples, schemas, the solution) are, seen from the test output folder.</summary>
public static class TestRepository
{
    /// <summary>The folder holding <c>Reconciler.sln</c>.</summary>
    public static string Root { get; } = Find();

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
