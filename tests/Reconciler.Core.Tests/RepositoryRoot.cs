namespace Reconciler.Core.Tests;

/// <summary>Finds the checked-out repository (the folder holding Reconciler.sln) from the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Reconciler.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"No Reconciler.sln above {AppContext.BaseDirectory}.");
    }
}
