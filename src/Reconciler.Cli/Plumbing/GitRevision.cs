using System.Diagnostics;

namespace Reconciler.Cli.Plumbing;

/// <summary>The short commit of the manifests' folder when it is inside a git work tree; change reasons name it.</summary>
internal static class GitRevision
{
    /// <summary>
    /// Asks git on the thread pool and returns at once; the task never fails (no commit is null). Waiting on git's output
    /// asynchronously keeps the pool's few threads free for the loading it runs beside.
    /// </summary>
    public static Task<string?> Start(string path) => Task.Run(async () =>
    {
        try
        {
            return await DetectAsync(path);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // No git on the machine, or none that answers: reasons simply carry no commit.
            return null;
        }
    });

    private static async Task<string?> DetectAsync(string path)
    {
        var directory = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is null || !Directory.Exists(directory))
            return null;
        using var git = Process.Start(new ProcessStartInfo("git", ["-C", directory, "rev-parse", "--short", "HEAD"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        if (git is null)
            return null;

        // A git that hangs (a checkout on a stalled network file system) costs at most this and is stopped.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var errors = git.StandardError.ReadToEndAsync(patience.Token);
            var output = (await git.StandardOutput.ReadToEndAsync(patience.Token)).Trim();
            await errors;
            await git.WaitForExitAsync(patience.Token);
            return git.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (OperationCanceledException)
        {
            git.Kill();
            return null;
        }
    }
}
