using System.Diagnostics;

namespace Reconciler.Cli.Plumbing;

/// <summary>The short commit of the manifests' folder when it is inside a git work tree; change reasons name it.</summary>
internal static class GitRevision
{
    public static string? Detect(string path)
    {
        var directory = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is null || !Directory.Exists(directory))
            return null;
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", directory, "rev-parse", "--short", "HEAD"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
                return null;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit(5000);
            return git.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on the machine: reasons simply carry no commit.
            return null;
        }
    }
}
