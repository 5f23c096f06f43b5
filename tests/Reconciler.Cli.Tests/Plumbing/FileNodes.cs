using System.Diagnostics;

namespace Reconciler.Cli.Tests.Plumbing;

/// <summary>
/// Named pipes, device nodes and hard links made in a test's own folder with mkfifo(1), mknod(1) and ln(1), never the system's /dev (an
/// earlier test run that wrote to /dev/full turned it into a regular file), and the file type stat(1) reports.
/// </summary>
internal static class FileNodes
{
    /// <summary>Whether this process may make device nodes (root, or CAP_MKNOD); a container may not.</summary>
    public static bool CanMakeDevices { get; } = TryMakeDevice();

    public static void Fifo(string path) => Run("mkfifo", path);

    /// <summary>A second name for <paramref name="target"/>'s file (ln(1)): a write into the file shows under both, a rename over one name does not.</summary>
    public static void HardLink(string target, string path) => Run("ln", target, path);

    /// <summary>A device like /dev/null (1, 3): every write succeeds and goes nowhere.</summary>
    public static void Null(string path) => Run("mknod", path, "c", "1", "3");

    /// <summary>A device like /dev/full (1, 7): every write fails with ENOSPC.</summary>
    public static void Full(string path) => Run("mknod", path, "c", "1", "7");

    /// <summary>stat(1)'s name for what <paramref name="path"/> itself is: "fifo", "character special file", "symbolic link", "regular file", "directory".</summary>
    public static string TypeOf(string path) => Run("stat", "-c", "%F", path).Trim();

    private static string Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)}: {error}");
        return output;
    }

    private static bool TryMakeDevice()
    {
        var folder = Directory.CreateTempSubdirectory("reconciler-mknod-");
        try
        {
            using var process = Process.Start(new ProcessStartInfo("mknod", [Path.Combine(folder.FullName, "null"), "c", "1", "3"]) { RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
