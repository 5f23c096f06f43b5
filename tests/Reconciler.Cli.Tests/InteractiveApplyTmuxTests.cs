using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Core.Platform;

namespace Reconciler.Cli.Tests;

/// <summary>
/// <c>reconciler apply</c> without <c>--auto-approve</c> on a real pseudo-terminal (a tmux pane): it shows the plan,
/// asks, applies on "yes" with a progress display, and changes nothing on anything else.
/// Skipped, with the reason, where tmux is not installed (CI installs it: .ci/run).
/// </summary>
public sealed class InteractiveApplyTmuxTests : IDisposable
{
    private const string Token = "tmux-test-token-0123456789";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-tmux-test-").FullName;
    private readonly string _socket = "reconciler-test-" + Guid.NewGuid().ToString("N")[..12];

    [TmuxFact]
    public async Task Apply_at_a_terminal_asks_cancels_on_no_and_applies_on_yes()
    {
        var (admin, services, command, server) = await PlatformAsync([], []);
        await using var _ = server;
        using var __ = services;
        var auditBefore = await AuditCountAsync(admin);

        // "no": nothing written, a clear message, a non-zero exit.
        var declined = await RunInTmuxAsync("declined", command, "no");
        declined.Should().Contain("+ Agent/").And.Contain("Plan: ").And.Contain("Only 'yes' will be accepted");
        declined.Should().Contain("Apply cancelled. Nothing was changed.").And.Contain("EXIT=1");
        (await AuditCountAsync(admin)).Should().Be(auditBefore, "a declined apply writes nothing");

        // "yes": applied, with the progress display and the summary.
        var approved = await RunInTmuxAsync("approved", command, "yes");
        approved.Should().Contain("Applying: ").And.Contain("(100%)").And.Contain("  Created   Agent/").And.Contain("Apply complete").And.Contain("EXIT=0");
        (await admin.ListAsync("agents", CancellationToken.None)).Value.Should().HaveCount(31);
    }

    [TmuxFact]
    public async Task Apply_reads_the_answer_from_a_terminal_another_program_left_non_blocking()
    {
        var (admin, services, command, server) = await PlatformAsync([], []);
        await using var _ = server;
        using var __ = services;

        // A shell, a pager or a node tool can leave the terminal's descriptor O_NONBLOCK; the question then waits for the answer.
        var nonBlocking = "perl -MFcntl -e 'fcntl(STDIN, F_SETFL, fcntl(STDIN, F_GETFL, 0) | O_NONBLOCK) or die; exec @ARGV or die' -- env ";
        var approved = await RunInTmuxAsync("non-blocking", nonBlocking + command, "yes");

        approved.Should().Contain("Apply complete").And.Contain("EXIT=0").And.NotContain("error:");
        (await admin.ListAsync("agents", CancellationToken.None)).Value.Should().HaveCount(31);
    }

    [TmuxFact]
    public async Task Apply_with_its_output_in_a_file_still_asks_at_the_terminal()
    {
        var (admin, services, command, server) = await PlatformAsync([], []);
        await using var _ = server;
        using var __ = services;
        var log = Path.Combine(_directory, "apply.log");

        // The question goes to the terminal on standard error; the plan and the result to the file, as with Terraform.
        var approved = await RunInTmuxAsync("logged", command + " > " + Shell.Quote(log), "yes");

        approved.Should().Contain("Only 'yes' will be accepted").And.Contain("EXIT=0").And.NotContain("no terminal to ask at");
        var written = await File.ReadAllTextAsync(log);
        written.Should().Contain("+ Agent/").And.Contain("Apply complete").And.NotContain("Enter a value:");
        (await admin.ListAsync("agents", CancellationToken.None)).Value.Should().HaveCount(31);
    }

    [TmuxFact]
    public async Task Ctrl_c_during_apply_finishes_the_calls_in_flight_prints_the_summary_restores_the_cursor_and_exits_130()
    {
        var (admin, services, command, server) = await SlowPlatformAsync();
        await using var _ = server;
        using var __ = services;
        var session = "interrupted";
        StartSession(session, command);

        var during = await WaitForPaneAsync(session, p => p.Split('\n').Count(l => l.StartsWith("  Created", StringComparison.Ordinal)) >= 3);
        during.Should().Contain("Applying: ").And.MatchRegex(@"Applying: \d+/\d+ \(\d+%\), \d+\.\d/s, ETA \d+:\d\d, 0 failed");
        CursorVisible(session).Should().BeFalse("the status line hides the cursor while it redraws");
        Tmux("send-keys", "-t", session, "C-c").Should().Be(0);
        var pane = await WaitForPaneAsync(session, p => p.Contains("EXIT=", StringComparison.Ordinal));

        pane.Should().Contain("Interrupted: starting no more changes, finishing the calls in flight");
        pane.Should().Contain("Apply cancelled: ").And.Contain("EXIT=130");
        pane.Should().Contain("Skipped   ").And.Contain("cancelled before it started");
        CursorVisible(session).Should().BeTrue("the cursor is shown again after an interrupt");
        var created = pane.Split('\n').Count(l => l.StartsWith("  Created", StringComparison.Ordinal));
        (await ManagedCountAsync(admin)).Should().Be(created, "every call in flight finished and was reported: nothing lost, nothing unreported");
        created.Should().BeLessThan(58, "no new work started after Ctrl+C");
        Tmux("kill-session", "-t", session);
    }

    [TmuxFact]
    public async Task Ctrl_c_at_the_question_ends_the_apply_with_nothing_written_also_while_the_embedded_platform_runs()
    {
        // No --platform-url: the reference platform runs inside the command, and its host must leave the signal to it.
        TestRepository.CopyExample(Path.Combine(_directory, "acme-support"));
        var session = "embedded";
        StartSession(session, "NO_COLOR=1 " + Shell.CommandLine([CliProcess.DotnetHost, CliProcess.Dll, "apply", "-f", "acme-support", "--secrets-dir", "acme-support/secrets"]));
        await WaitForPaneAsync(session, p => p.Contains("Enter a value:", StringComparison.Ordinal));

        Tmux("send-keys", "-t", session, "C-c").Should().Be(0);
        var pane = await WaitForPaneAsync(session, p => p.Contains("EXIT=", StringComparison.Ordinal));

        pane.Should().Contain("EXIT=130").And.NotContain("  Created").And.NotContain("Apply complete");
    }

    [TmuxFact]
    public async Task A_second_ctrl_c_exits_at_once_with_the_cursor_restored()
    {
        // Calls take 8 s, so the second Ctrl+C comes while the first calls are still in flight even on a loaded machine
        // (with 3 s, polling the pane and delivering the keys under load once took longer than the calls left).
        var (_, services, command, server) = await SlowPlatformAsync(latencyMs: 8000);
        await using var _ = server;
        using var __ = services;
        var session = "twice";
        StartSession(session, command);
        await WaitForPaneAsync(session, p => p.Contains("  Created", StringComparison.Ordinal));

        Tmux("send-keys", "-t", session, "C-c").Should().Be(0);
        await WaitForPaneAsync(session, p => p.Contains("Interrupted:", StringComparison.Ordinal));
        Tmux("send-keys", "-t", session, "C-c").Should().Be(0);
        var pane = await WaitForPaneAsync(session, p => p.Contains("EXIT=", StringComparison.Ordinal));

        pane.Should().Contain("Interrupted again: exiting now").And.Contain("EXIT=130").And.NotContain("Apply cancelled:");
        CursorVisible(session).Should().BeTrue();
        Tmux("kill-session", "-t", session);
    }

    /// <summary>A platform that answers every request late, so that an apply of the example takes long enough to interrupt.</summary>
    private Task<(IPlatformClient Admin, ServiceProvider Services, string Command, ServerProcess Server)> SlowPlatformAsync(int latencyMs = 300) =>
        PlatformAsync(["--fault-latency-ms", latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture)], ["--auto-approve", "--parallelism", "2"]);

    /// <summary>A platform as a process (with <paramref name="serverOptions"/>), a client of its admin, and the apply of the example against it (with <paramref name="applyOptions"/>) as a shell command.</summary>
    private async Task<(IPlatformClient Admin, ServiceProvider Services, string Command, ServerProcess Server)> PlatformAsync(string[] serverOptions, string[] applyOptions)
    {
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, Token + "\n");
        var server = await ServerProcess.StartAsync(["--database", Path.Combine(_directory, "platform.db"), "--token-file", tokenFile, .. serverOptions], token: null);
        var services = TestAdminClient.Services(server.BaseUrl, Token);
        var example = Path.Combine(TestRepository.Root, "examples", "acme-support");
        string[] arguments =
        [
            CliProcess.DotnetHost, CliProcess.Dll, "apply", "-f", example, "--secrets-dir", Path.Combine(example, "secrets"),
            "--platform-url", server.BaseUrl.ToString(), "--token-file", tokenFile, "--requests-per-second", "0", .. applyOptions,
        ];
        var command = Shell.CommandLine(arguments);
        return (services.GetRequiredService<IPlatformClient>(), services, "NO_COLOR=1 " + command, server);
    }

    private bool CursorVisible(string session)
    {
        using var process = Start("display-message", "-p", "-t", session, "#{cursor_flag}");
        var flag = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return flag == "1";
    }

    private static async Task<int> ManagedCountAsync(IPlatformClient admin)
    {
        var count = 0;
        // Every kind's collection: channels and reply templates are created alongside agents, not after them.
        foreach (var collection in Reconciler.Core.Mapping.KindMappers.InDependencyOrder.Where(k => !k.IsSingleton).Select(k => k.Collection))
        {
            var objects = await admin.ListAsync(collection, CancellationToken.None);
            objects.IsOk.Should().BeTrue(objects.Message);
            count += objects.Value!.Count(o => o.Labels.ContainsKey(Reconciler.Core.Engine.Ownership.ManagedByLabel));
        }

        return count;
    }

    public void Dispose()
    {
        Tmux("kill-server");
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still be closing its file on a slow machine; a stale temp directory is harmless.
        }
    }

    /// <summary>Runs the command in a fresh tmux session, answers the prompt, and returns the whole pane once it exited.</summary>
    private async Task<string> RunInTmuxAsync(string session, string command, string answer)
    {
        StartSession(session, "NO_COLOR=1 " + command);
        await WaitForPaneAsync(session, p => p.Contains("Enter a value:", StringComparison.Ordinal));
        Tmux("send-keys", "-t", session, answer, "Enter").Should().Be(0);
        // The session stays until Dispose kills the server: killing the last session makes tmux exit, and on a busy
        // machine the next new-session can meet that server still shutting down on the same socket, and fail.
        return await WaitForPaneAsync(session, p => p.Contains("EXIT=", StringComparison.Ordinal));
    }

    /// <summary>
    /// Runs the command in a new tmux session in the test's folder; the pane stays after it ends, so its exit code and
    /// final screen can be read. A shell whose command dies of Ctrl+C ends itself too, unless it traps the signal: a trap,
    /// not an ignore, so the command, once exec'd, still has the signal's default action.
    /// </summary>
    private void StartSession(string session, string command) =>
        Tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", $"trap : INT; cd {Shell.Quote(_directory)} && {command}; echo EXIT=$?; sleep 120").Should().Be(0);

    private async Task<string> WaitForPaneAsync(string session, Func<string, bool> ready)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var pane = "";
        while (DateTime.UtcNow < deadline)
        {
            pane = Capture(session);
            if (ready(pane))
                return pane;
            await Task.Delay(100);
        }

        throw new TimeoutException($"tmux pane '{session}' did not show what was expected within {Timeout}; it shows:\n{pane}");
    }

    private string Capture(string session)
    {
        using var process = Start("capture-pane", "-p", "-J", "-S", "-", "-t", session);
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return text;
    }

    private int Tmux(params string[] arguments)
    {
        using var process = Start(arguments);
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    private Process Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-L", _socket, "-f", "/dev/null", .. arguments])
            info.ArgumentList.Add(argument);
        info.Environment.Remove("RECONCILER_PLATFORM_TOKEN");
        info.Environment.Remove("TMUX");
        return Process.Start(info)!;
    }

    internal static bool TmuxAvailable()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("tmux", "-V") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task<int> AuditCountAsync(IPlatformClient admin)
    {
        var events = await admin.ListAuditEventsAsync(new AuditQuery(), CancellationToken.None);
        events.IsOk.Should().BeTrue(events.Message);
        return events.Value!.Count;
    }

}

/// <summary>A fact that is skipped, saying why, where tmux is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TmuxFactAttribute : FactAttribute
{
    public TmuxFactAttribute()
    {
        if (!InteractiveApplyTmuxTests.TmuxAvailable())
            Skip = "tmux is not installed (apt-get install -y tmux); the interactive apply test needs a real terminal";
    }
}
