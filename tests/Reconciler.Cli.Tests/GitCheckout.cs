using System.Diagnostics;

namespace Reconciler.Cli.Tests;

/// <summary>A test's folder made a git checkout, as the manifests a team applies usually are.</summary>
internal static class GitCheckout
{
    /// <summary>Makes <paramref name="directory"/> a repository with everything in it committed; returns the commit's short name.</summary>
    public static string CommitEverything(string directory)
    {
        Git(directory, "init", "--quiet");
        Git(directory, "add", ".");
        Git(directory, "-c", "user.name=Platform Team", "-c", "user.email=platform@acme.example", "commit", "--quiet", "-m", "org");
        return Git(directory, "rev-parse", "--short", "HEAD");
    }

    /// <summary>Runs git on <paramref name="directory"/> alone: a repository named by the environment (a hook's) is left out.</summary>
    private static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git", ["-C", directory, "-c", "commit.gpgsign=false", .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var variable in new[] { "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE" })
            start.Environment.Remove(variable);
        using var git = Process.Start(start)!;
        var error = git.StandardError.ReadToEndAsync();
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        git.ExitCode.Should().Be(0, error.Result);
        return output.Trim();
    }
}
