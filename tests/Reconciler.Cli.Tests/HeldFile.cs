using System.Diagnostics;

namespace Reconciler.Cli.Tests;

/// <summary>
/// A file that is a named pipe: a reader waits at it until the test releases its text, so a test can act while the
/// manifests are still loading, or see that a file the CLI must not open (a secret) is not. POSIX only (mkfifo). A
/// manifest pipe is named with -f on its own: one found in a folder is refused unopened.
/// </summary>
internal sealed class HeldFile : IDisposable
{
    private readonly string _path;
    private bool _released;

    private HeldFile(string path) => _path = path;

    /// <summary>Moves a manifest out of its folder into the one above (the working directory), where -f names it; returns its new path.</summary>
    public static string MoveOutOf(string file)
    {
        var moved = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(file))!, Path.GetFileName(file));
        File.Move(file, moved);
        return moved;
    }

    public static HeldFile Replace(string path)
    {
        File.Delete(path);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        mkfifo.WaitForExit();
        mkfifo.ExitCode.Should().Be(0, mkfifo.StandardError.ReadToEnd());
        return new HeldFile(path);
    }

    /// <summary>Lets the reader go on with <paramref name="text"/> as the file's content (opening the pipe waits for its reader).</summary>
    public Task ReleaseAsync(string text)
    {
        _released = true;
        return Task.Run(() => File.WriteAllText(_path, text)).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>A test that failed before releasing still lets a waiting run go on (to an empty file): opening the pipe for reading and writing does not wait.</summary>
    public void Dispose()
    {
        if (!_released)
            new FileStream(_path, FileMode.Open, FileAccess.ReadWrite).Dispose();
    }
}
