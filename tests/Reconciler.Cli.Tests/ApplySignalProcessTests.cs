using System.Globalization;
using System.Text;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Xunit.Abstractions;

namespace Reconciler.Cli.Tests;

/// <summary>
/// <c>reconciler apply</c> (a real process) against <c>reconciler platform serve</c> (a real process) stopped by SIGINT,
/// SIGTERM or SIGKILL at a moment read from its own output or state folder, never after a sleep: once the state lock is
/// taken, while the plan prints, once the creates' nonces are reserved, after the k-th create, update or delete (k up to
/// the last, so also after the last write and before the summary). The stopped run exits non-zero unless it finished
/// and says so, every "Created"/"Updated"/"Deleted" it printed happened, and one re-run in the same folder, without
/// --force, converges: each agent exactly once (counted by the managed-by label) and as its manifest says, none left that
/// should be gone.
/// </summary>
public sealed class ApplySignalProcessTests(ITestOutputHelper log) : IDisposable
{
    private const int Agents = 8;
    private const string Token = "signal-test-token-0123456789";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-signal-test-").FullName;
    private int _trial;

    public enum Signal
    {
        Int,
        Term,
        Kill,
    }

    public enum Moment
    {
        LockTaken,
        PlanPrinting,
        NoncesReserved,
        Created,
        Updated,
        Deleted,
    }

    private string TokenFile => Path.Combine(_directory, "token");

    [Fact]
    public async Task Apply_stopped_by_any_signal_at_any_moment_never_claims_unfinished_work_and_a_rerun_converges()
    {
        if (OperatingSystem.IsWindows())
            return; // POSIX signals.
        await File.WriteAllTextAsync(TokenFile, Token + "\n");
        await using var server = await ServerProcess.StartAsync(
            ["--database", Path.Combine(_directory, "platform.db"), "--token-file", TokenFile, "--fault-latency-ms", "60"], token: null);
        using var services = TestAdminClient.Services(server.BaseUrl, Token);
        var admin = services.GetRequiredService<IPlatformClient>();

        // Every moment once with a random signal and k, so a short run still sees each moment; shrinking then narrows k.
        var trials = Gen.Select(Gen.Enum<Signal>(), Gen.Int[1, Agents]);
        // Deleted first: its --prune removes every managed agent its manifests do not name, the earlier trials' too.
        foreach (var moment in Enum.GetValues<Moment>().OrderBy(m => m != Moment.Deleted))
        {
            await trials.SampleAsync(
                (signal, k) => TrialAsync(server, admin, moment, signal, k),
                iter: 1, threads: 1, print: t => $"{moment} {t.Item1} k={t.Item2}");
        }
    }

    [Fact]
    public async Task A_signal_after_the_writes_are_over_claims_no_interruption_and_the_exit_code_is_the_results()
    {
        if (OperatingSystem.IsWindows())
            return; // POSIX signals.
        await File.WriteAllTextAsync(TokenFile, Token + "\n");
        await using var server = await ServerProcess.StartAsync(["--database", Path.Combine(_directory, "platform.db"), "--token-file", TokenFile], token: null);
        const int many = 600;
        var manifests = Path.Combine(_directory, "late", "org");
        WriteAgents(manifests, "late", [.. Enumerable.Range(0, many)], "Agent");

        // The JSON result of this many creates is more than a pipe holds: with standard output not read, apply is held
        // in writing it, after all its writes, for as long as the test likes. No sleep decides where the signal lands.
        var info = CliLaunch.UnderTest.WithDefaultSignals().StartInfo([.. Apply(server, manifests), "--parallelism", "8", "-o", "json"]);
        info.WorkingDirectory = Path.GetDirectoryName(manifests)!;
        using var apply = System.Diagnostics.Process.Start(info)!;
        var errors = new List<string>();
        apply.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (errors)
                    errors.Add(line);
            }
        };
        apply.BeginErrorReadLine();
        try
        {
            var first = new byte[1];
            (await apply.StandardOutput.BaseStream.ReadAsync(first).AsTask().WaitAsync(RunTimeout)).Should().Be(1, "apply writes its result");
            await SendAsync(apply.Id, Signal.Int);

            // Its handler runs at once, though what it writes waits behind standard output; the wait is for the handler
            // to have decided, the moment the signal landed at is fixed.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var result = (char)first[0] + await apply.StandardOutput.ReadToEndAsync().WaitAsync(RunTimeout);
            await apply.WaitForExitAsync().WaitAsync(RunTimeout);
            apply.WaitForExit(); // standard error, read to its end
            result.Length.Should().BeGreaterThan(80_000, "the result must be more than a pipe holds for apply to wait in writing it");
            lock (errors)
                errors.Should().NotContain(l => l.Contains("starting no more changes", StringComparison.Ordinal), "nothing was left to stop");
            apply.ExitCode.Should().Be(0, "every create was made; standard error:\n{0}", string.Join('\n', errors));
            var json = System.Text.Json.Nodes.JsonNode.Parse(result)!;
            json["succeeded"]!.GetValue<bool>().Should().BeTrue();
            json["cancelled"]!.GetValue<bool>().Should().BeFalse();
            json["results"]!.AsArray().Should().HaveCount(many).And.OnlyContain(r => r!["outcome"]!.GetValue<string>() == "Created");
        }
        finally
        {
            if (!apply.HasExited)
                apply.Kill(entireProcessTree: true);
        }
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

    private async Task TrialAsync(ServerProcess server, IPlatformClient admin, Moment moment, Signal signal, int k)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"s{Interlocked.Increment(ref _trial)}");
        var work = Directory.CreateDirectory(Path.Combine(_directory, prefix)).FullName;
        var manifests = Path.Combine(work, "org");
        IReadOnlyList<int> desired = [.. Enumerable.Range(0, Agents)];
        string[] extra = [];
        switch (moment)
        {
            case Moment.Updated:
                await ApplyAllAsync(server, work, manifests, prefix, desired, "Agent");
                WriteAgents(manifests, prefix, desired, "Edited agent");
                break;
            case Moment.Deleted:
                // Twice the agents, then the second half pruned: k deletes are there to wait for.
                await ApplyAllAsync(server, work, manifests, prefix, [.. Enumerable.Range(0, 2 * Agents)], "Agent");
                WriteAgents(manifests, prefix, desired, "Agent");
                extra = ["--prune", "--max-deletes", "100", "--allow", "mass-change"];
                break;
            default:
                WriteAgents(manifests, prefix, desired, "Agent");
                break;
        }

        var stateFolder = Path.Combine(work, ".reconciler");
        var outcome = moment switch
        {
            Moment.Created => "Created",
            Moment.Updated => "Updated",
            Moment.Deleted => "Deleted",
            _ => null,
        };
        using var apply = CliProcess.Start(work, CliLaunch.UnderTest.WithDefaultSignals(), [.. Apply(server, manifests), .. extra]);
        Func<bool> reached = moment switch
        {
            Moment.LockTaken => () => File.Exists(Path.Combine(stateFolder, "state.lock.json")),
            Moment.PlanPrinting => () => apply.StandardOutput.Contains("+ Agent/", StringComparison.Ordinal),
            Moment.NoncesReserved => () => File.Exists(Path.Combine(stateFolder, "pending-creates.json")),
            _ => () => Lines(apply.StandardOutput, outcome!).Count >= k,
        };
        var deadline = DateTime.UtcNow + RunTimeout;
        while (!reached())
        {
            if (apply.Process.HasExited)
            {
                apply.Process.WaitForExit(); // the redirected output, read to its end
                reached().Should().BeTrue("apply should reach {0} (k={1}); output:\n{2}", moment, k, apply.Output);
                break;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, "apply should reach {0}; output:\n{1}", moment, apply.Output);
            await Task.Delay(5);
        }

        await SendAsync(apply.Process.Id, signal);
        using (var timeout = new CancellationTokenSource(RunTimeout))
            await apply.Process.WaitForExitAsync(timeout.Token);
        apply.Process.WaitForExit(); // the redirected output, read to its end
        var output = apply.StandardOutput;
        var agents = await ManagedAgentsAsync(admin, prefix);
        var trial = $"{moment} by SIG{signal.ToString().ToUpperInvariant()} at k={k}";
        log.WriteLine($"{trial}: exit {apply.Process.ExitCode}, {agents.Count} agents");

        // Before the writes a signal ends the run. After the k-th write the rest may have finished, and the summary been
        // printed, before the signal lands: exit 0 is then the truth, and only allowed with the whole work done.
        // A signal sent once the nonces are on disk can land after a few creates have all finished (it is sent by another
        // process, polled for): exit 0 is then the truth too, and checked below as after the k-th write.
        var finished = output.Contains("Apply complete", StringComparison.Ordinal);
        if (outcome is null && !finished)
            apply.Process.ExitCode.Should().NotBe(0, "{0}: a run stopped before its writes did not finish; output:\n{1}", trial, apply.Output);
        if (apply.Process.ExitCode == 0)
            finished.Should().BeTrue("{0}: exit 0 is success, said and done; output:\n{1}", trial, apply.Output);
        var keys = agents.Select(a => a.Key).ToList();
        output.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal) && l.Contains("Agent/", StringComparison.Ordinal) && !l.StartsWith("  Agent/", StringComparison.Ordinal) && !l.Contains(" + ", StringComparison.Ordinal))
            .Where(l => !l.Contains($"Agent/{prefix}-agent-", StringComparison.Ordinal)).Should().BeEmpty("{0}: the run touched its own agents only", trial);
        foreach (var line in Lines(output, "Created").Concat(Lines(output, "Updated")))
            keys.Should().Contain(Email(prefix, Index(line)), "{0}: '{1}' was reported, so the agent exists", trial, line);
        foreach (var line in Lines(output, "Deleted"))
            keys.Should().NotContain(Email(prefix, Index(line)), "{0}: '{1}' was reported, so the agent is gone", trial, line);
        if (finished)
            keys.Should().BeEquivalentTo(desired.Select(i => Email(prefix, i)), "{0}: 'Apply complete' means everything was done", trial);

        // The re-run takes the lock without --force or waiting (a killed holder's lock is gone with its process).
        var rerun = await CliProcess.RunAsync(work, RunTimeout, [.. Apply(server, manifests), .. extra]);
        rerun.ExitCode.Should().Be(0, "{0}: the re-run converges; output:\n{1}", trial, rerun.Output);
        rerun.Output.Should().NotContain("Idempotency-Key reused");
        agents = await ManagedAgentsAsync(admin, prefix);
        agents.Select(a => a.Key).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(desired.Select(i => Email(prefix, i)), "{0}: nothing lost, nothing duplicated", trial);
        if (moment == Moment.Updated)
            agents.Select(a => a.Fields["displayName"]!.GetValue<string>()).Should().OnlyContain(n => n.StartsWith("Edited agent ", StringComparison.Ordinal));
    }

    private async Task ApplyAllAsync(ServerProcess server, string work, string manifests, string prefix, IReadOnlyList<int> which, string displayName)
    {
        WriteAgents(manifests, prefix, which, displayName);
        var setup = await CliProcess.RunAsync(work, RunTimeout, Apply(server, manifests));
        setup.ExitCode.Should().Be(0, setup.Output);
    }

    private string[] Apply(ServerProcess server, string manifests) =>
        ["apply", "-f", manifests, "--platform-url", server.BaseUrl.ToString(), "--token-file", TokenFile, "--auto-approve", "--parallelism", "2", "--requests-per-second", "0"];

    /// <summary>kill(1) with the signal; the process may have ended already, after the last write.</summary>
    private static async Task SendAsync(int pid, Signal signal)
    {
        using var kill = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kill", ["-" + signal.ToString().ToUpperInvariant(), pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
        })!;
        await kill.WaitForExitAsync();
    }

    private static List<string> Lines(string output, string outcome) =>
        [.. output.Split('\n').Where(l => l.StartsWith($"  {outcome} ", StringComparison.Ordinal))];

    /// <summary>The agent's number in a progress line such as "  Created   Agent/s3-agent-07".</summary>
    private static int Index(string line) => int.Parse(line.AsSpan(line.LastIndexOf('-') + 1, 2), CultureInfo.InvariantCulture);

    private static string Email(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-agent{i:00}@signal.example");

    private static async Task<List<PlatformObject>> ManagedAgentsAsync(IPlatformClient admin, string prefix)
    {
        var agents = await admin.ListAsync("agents", CancellationToken.None);
        agents.IsOk.Should().BeTrue(agents.Message);
        return [.. agents.Value!.Where(a => a.Labels.ContainsKey(Ownership.ManagedByLabel) && a.Key.StartsWith(prefix + "-", StringComparison.Ordinal))];
    }

    private static void WriteAgents(string folder, string prefix, IEnumerable<int> which, string displayName)
    {
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        foreach (var i in which)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                apiVersion: support.reconciler.dev/v1alpha1
                kind: Agent
                metadata: {"{"}name: {prefix}-agent-{i:00}{"}"}
                spec: {"{"}email: {Email(prefix, i)}, displayName: {displayName} {i}, roleRef: {"{"}name: agent{"}"}, languages: [en]{"}"}
                ---

                """);
        }

        File.WriteAllText(Path.Combine(folder, "agents.yaml"), text.ToString().TrimEnd('-', '\n', ' ') + "\n");
    }
}
