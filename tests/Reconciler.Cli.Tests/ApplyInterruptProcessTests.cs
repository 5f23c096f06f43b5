using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Reconciler.Cli.Tests;

/// <summary>
/// <c>reconciler apply</c> as a real process without a terminal: one line per resource as it finishes (not all at the
/// end), and SIGTERM stops it gracefully: calls in flight finish, the JSON result is printed, the exit code is 143.
/// </summary>
public sealed class ApplyInterruptProcessTests : IDisposable
{
    private const string Token = "interrupt-test-token-0123456789";
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-interrupt-test-").FullName;

    [Fact]
    public async Task Without_a_terminal_each_resource_is_reported_as_it_finishes_and_sigterm_ends_gracefully_with_143()
    {
        if (OperatingSystem.IsWindows())
            return; // SIGTERM is POSIX.
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        await using var server = await ServerProcess.StartAsync(["--database", Path.Combine(_directory, "platform.db"), "--token-file", tokenFile, "--fault-latency-ms", "300"], token: null);
        var example = Path.Combine(TestRepository.Root, "examples", "acme-support");
        var lines = new List<string>();
        using var cli = CliProcess.Start(_directory, "apply", "-f", example, "--secrets-dir", Path.Combine(example, "secrets"), "--auto-approve", "-o", "json",
            "--platform-url", server.BaseUrl.ToString(), "--token-file", tokenFile, "--requests-per-second", "0", "--parallelism", "2");
        var stdout = new List<string>();
        cli.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (stdout)
                    stdout.Add(line);
            }
        };
        cli.Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (lines)
                    lines.Add(line);
            }
        };

        await WaitUntilAsync(() => Finished(lines) >= 4, cli);
        var runningWhenFourWereReported = !cli.Process.HasExited;
        using (var kill = Process.Start("kill", ["-TERM", cli.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await cli.Process.WaitForExitAsync(timeout.Token);
        cli.Process.WaitForExit();

        cli.Process.ExitCode.Should().Be(143, cli.Output);
        lock (lines)
        {
            Finished(lines).Should().BeGreaterThanOrEqualTo(4);
            // Timing gaps between lines are not asserted: a loaded test host reads the pipe in bursts. That four lines were
            // read while apply still ran, and that it then skipped work, is what shows lines are not held to the end.
            runningWhenFourWereReported.Should().BeTrue("lines arrive as resources finish, not all at once at exit");
            lines.Should().Contain(l => l.StartsWith("Interrupted: starting no more changes", StringComparison.Ordinal));
        }

        JsonNode json;
        lock (stdout)
            json = JsonNode.Parse(string.Join('\n', stdout))!;
        json["cancelled"]!.GetValue<bool>().Should().BeTrue();
        var outcomes = json["results"]!.AsArray().Select(r => r!["outcome"]!.GetValue<string>()).ToList();
        outcomes.Should().Contain("Created").And.Contain("Skipped");
        outcomes.Should().NotContain("Failed", "calls in flight were allowed to finish, not aborted");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still be closing its file; a stale temp directory is harmless.
        }
    }

    private static int Finished(List<string> lines)
    {
        lock (lines)
            return lines.Count(l => l.StartsWith("  Created", StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CliProcess cli)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60) || cli.Process.HasExited)
                throw new TimeoutException($"apply did not report 4 finished resources; output:\n{cli.Output}");
            await Task.Delay(50);
        }
    }
}
