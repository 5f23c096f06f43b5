using System.Diagnostics;

namespace Reconciler.Cli.Tests.Commands;

/// <summary>
/// A manifest file that is a named pipe: the CLI's loading waits at it until the test releases its text, so a test
/// can act while the manifests are still loading. POSIX only (mkfifo).
/// </summary>
internal sealed class HeldManifest
{
    private readonly string _path;

    private HeldManifest(string path) => _path = path;

    public static HeldManifest Replace(string path)
    {
        File.Delete(path);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        mkfifo.WaitForExit();
        mkfifo.ExitCode.Should().Be(0, mkfifo.StandardError.ReadToEnd());
        return new HeldManifest(path);
    }

    /// <summary>Lets the loading go on with <paramref name="text"/> as the file's content (opening the pipe waits for its reader).</summary>
    public Task ReleaseAsync(string text) =>
        Task.Run(() => File.WriteAllText(_path, text)).WaitAsync(TimeSpan.FromSeconds(30));
}
