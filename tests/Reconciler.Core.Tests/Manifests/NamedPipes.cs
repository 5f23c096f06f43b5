using System.Diagnostics;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>Named pipes made with mkfifo(1) (POSIX), for tests of what is opened and what is not.</summary>
internal static class NamedPipes
{
    public static string Create(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        mkfifo.WaitForExit();
        mkfifo.ExitCode.Should().Be(0, mkfifo.StandardError.ReadToEnd());
        return path;
    }

    /// <summary>Lets a reader that is waiting at the pipe go on (to an empty file): opening it for reading and writing does not wait.</summary>
    public static void Release(string path) => new FileStream(path, FileMode.Open, FileAccess.ReadWrite).Dispose();
}
