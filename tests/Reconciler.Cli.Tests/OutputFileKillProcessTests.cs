using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Reconciler.Cli.Tests;

/// <summary>
/// <c>plan -out</c> and <c>export --output-dir</c> (real processes, against <c>reconciler platform serve</c>) SIGKILLed
/// at the first change the write makes in the target folder, seen through inotify rather than after a sleep: every
/// target holds its old complete content or its new complete content, never a part. Beside them a kill can leave only
/// what lands between naming a whole new file and renaming it over its target (a set is named whole before any file
/// is renamed): a temporary file of the killed process holding a whole new version, which the next run removes, so
/// nothing is left in the folder for a user to commit with the rest.
/// </summary>
public sealed class OutputFileKillProcessTests : IDisposable
{
    private const int Agents = 40;
    private const int Attempts = 5;
    private const string Token = "output-kill-token-0123456789";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-output-kill-").FullName;

    private string TokenFile => Path.Combine(_directory, "token");

    private string Manifests => Path.Combine(_directory, "org");

    [Fact]
    public async Task A_killed_plan_out_or_export_leaves_each_file_old_or_new_and_no_temporary_file()
    {
        if (OperatingSystem.IsWindows())
            return; // SIGKILL and inotify.
        await File.WriteAllTextAsync(TokenFile, Token + "\n");
        await using var server = await ServerProcess.StartAsync(["--database", Path.Combine(_directory, "platform.db"), "--token-file", TokenFile], token: null);
        WriteAgents("Agent");
        var applied = await RunAsync(["apply", "-f", Manifests, "--auto-approve", .. Connection(server)]);
        applied.ExitCode.Should().Be(0, applied.Output);
        WriteAgents("Edited agent"); // so that a plan has changes to save

        var plans = Directory.CreateDirectory(Path.Combine(_directory, "plans")).FullName;
        var plan = Path.Combine(plans, "org.plan");
        string[] planOut = ["plan", "-f", Manifests, "-out", plan, .. Connection(server)];
        var exported = Path.Combine(_directory, "exported");
        string[] export = ["export", "--output-dir", exported, .. Connection(server)];

        // The old complete content: an uninterrupted run. The new complete content of export: another one, as the
        // platform does not change; of a plan (which holds the time it was made): any whole JSON document.
        (await RunAsync(planOut)).ExitCode.Should().Be(0);
        var oldPlan = await File.ReadAllTextAsync(plan);
        (await RunAsync(export)).ExitCode.Should().Be(0);
        var exportedFiles = Snapshot(exported);
        exportedFiles.Should().HaveCountGreaterThan(1, "export writes one file per kind, as a set");
        // Written as they were before, so that the killed export has old content to keep.
        foreach (var (name, text) in exportedFiles)
            await File.WriteAllTextAsync(Path.Combine(exported, name), text + "# as an older export wrote it\n");
        var oldExport = Snapshot(exported);

        // Killed while it writes (a file of it open in the folder), and killed at the first change it makes there
        // (export's set has the widest window between naming its files and renaming the last): each file old or new.
        foreach (var (folder, arguments) in (IEnumerable<(string, string[])>)[(plans, planOut), (exported, export)])
        {
            var attempts = 0;
            while (!await KilledAsync(folder, arguments, atFirstChange: false))
            {
                AssertOldOrNew("finished before the kill", clean: false);
                (++attempts).Should().BeLessThan(Attempts, "a run of {0} is killed while it writes", arguments[0]);
            }

            AssertOldOrNew($"{arguments[0]} killed while writing", clean: false);
        }

        await KilledAsync(exported, export, atFirstChange: true);
        AssertOldOrNew("export killed at its first change", clean: false);

        // The next runs leave nothing of the killed ones.
        (await RunAsync(planOut)).ExitCode.Should().Be(0);
        (await RunAsync(export)).ExitCode.Should().Be(0);
        AssertOldOrNew("plan -out and export run again after the kills", clean: true);

        // Each target old or new, whole; beside it, unless `clean`, only a killed run's temporary file of it holding a
        // whole new version (a part of one would mean content was written under a name).
        void AssertOldOrNew(string because, bool clean)
        {
            var planFiles = Snapshot(plans);
            foreach (var (name, text) in planFiles)
            {
                if (name != "org.plan")
                    name.Should().MatchRegex(@"^\.org\.plan\.[0-9]+\.tmp$", "{0}: only a temporary file of the plan is left beside it", because);
                if (text != oldPlan)
                    FluentActions.Invoking(() => JsonDocument.Parse(text).Dispose()).Should().NotThrow("{0}: {1} is the old plan or a whole new one", because, name);
            }

            var now = Snapshot(exported);
            foreach (var (name, content) in exportedFiles)
                now[name].Should().BeOneOf([oldExport[name], content], "{0}: {1} is the old file or the new one, whole", because, name);
            foreach (var (name, content) in now.Where(f => !exportedFiles.ContainsKey(f.Key)))
            {
                var temporary = Regex.Match(name, @"^\.(?<target>.+)\.[0-9]+\.tmp$");
                temporary.Success.Should().BeTrue("{0}: {1} is no temporary file of an exported file", because, name);
                content.Should().Be(exportedFiles.GetValueOrDefault(temporary.Groups["target"].Value), "{0}: {1} was named only once whole", because, name);
            }

            if (!clean)
                return;
            planFiles.Keys.Should().Equal(["org.plan"], "{0}: nothing but the plan is left beside it", because);
            now.Keys.Should().BeEquivalentTo(exportedFiles.Keys, "{0}: nothing but the exported files is left in the folder", because);
        }
    }

    [Fact]
    public async Task A_killed_apply_leaves_no_temporary_file_in_the_state_folder()
    {
        if (OperatingSystem.IsWindows())
            return; // SIGKILL and /proc.
        await File.WriteAllTextAsync(TokenFile, Token + "\n");
        await using var server = await ServerProcess.StartAsync(["--database", Path.Combine(_directory, "platform.db"), "--token-file", TokenFile], token: null);

        // Killed while it has a file of the state folder open other than the lock it holds throughout: the lock
        // holder's name or the pending creates being written. Each attempt creates agents of its own in a folder of its own.
        for (var attempt = 0; ; attempt++)
        {
            attempt.Should().BeLessThan(Attempts, "an apply is killed while it writes into its state folder");
            var work = Directory.CreateDirectory(Path.Combine(_directory, $"apply-{attempt}")).FullName;
            var manifests = Path.Combine(work, "org");
            WriteAgents("Agent", manifests, $"a{attempt}");
            var state = Path.Combine(work, ".reconciler");
            var held = Path.Combine(state, "state.lock");
            var killed = false;
            using (var cli = CliProcess.Start(work, ["apply", "-f", manifests, "--auto-approve", .. Connection(server)]))
            {
                var descriptors = $"/proc/{cli.Process.Id.ToString(CultureInfo.InvariantCulture)}/fd";
                while (!killed && !cli.Process.HasExited)
                {
                    if (Open(descriptors).Any(f => f.StartsWith(state + "/", StringComparison.Ordinal) && f != held))
                    {
                        cli.Process.Kill();
                        killed = true;
                    }
                }

                using var timeout = new CancellationTokenSource(RunTimeout);
                await cli.Process.WaitForExitAsync(timeout.Token);
                cli.Process.WaitForExit();
                killed &= cli.Process.ExitCode != 0;
            }

            var left = Directory.EnumerateFiles(state).Select(Path.GetFileName).ToList();
            left.Should().BeSubsetOf(["state.lock", "state.lock.json", "pending-creates.json"], "a killed apply leaves its state files, whole, and nothing else");
            if (left.Contains("pending-creates.json"))
                FluentActions.Invoking(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(state, "pending-creates.json"))).Dispose()).Should().NotThrow("the pending creates are old or new, whole");
            if (killed)
                break;
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

    /// <summary>
    /// Runs the command and SIGKILLs it either at the first file made, renamed or written in <paramref name="folder"/>
    /// (inotify), or while it has a file in <paramref name="folder"/> open (its /proc/PID/fd); whether it was killed so.
    /// </summary>
    private async Task<bool> KilledAsync(string folder, string[] arguments, bool atFirstChange)
    {
        CliProcess? cli = null;
        var killed = 0;
        using var watcher = new FileSystemWatcher(folder) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        void Kill(object sender, FileSystemEventArgs e)
        {
            if (Volatile.Read(ref cli) is { } running && Interlocked.Exchange(ref killed, 1) == 0)
                running.Process.Kill(); // SIGKILL
        }

        watcher.Created += Kill;
        watcher.Changed += Kill;
        watcher.Renamed += Kill;
        watcher.EnableRaisingEvents = atFirstChange;
        using (cli = CliProcess.Start(_directory, arguments))
        {
            var descriptors = $"/proc/{cli.Process.Id.ToString(CultureInfo.InvariantCulture)}/fd";
            while (!atFirstChange && !cli.Process.HasExited)
            {
                if (OpenIn(descriptors, folder) && Interlocked.Exchange(ref killed, 1) == 0)
                    cli.Process.Kill();
            }

            using var timeout = new CancellationTokenSource(RunTimeout);
            await cli.Process.WaitForExitAsync(timeout.Token);
            cli.Process.WaitForExit();
            return killed == 1 && cli.Process.ExitCode != 0;
        }
    }

    /// <summary>Whether the process whose descriptors are listed in <paramref name="descriptors"/> has a file in <paramref name="folder"/> open.</summary>
    private static bool OpenIn(string descriptors, string folder) =>
        Open(descriptors).Any(f => f.StartsWith(folder + "/", StringComparison.Ordinal));

    /// <summary>The paths of the files open in the process whose descriptors are listed in <paramref name="descriptors"/> (an unnamed one's folder, "/#inode (deleted)").</summary>
    private static List<string> Open(string descriptors)
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(descriptors).Select(d => File.ResolveLinkTarget(d, returnFinalTarget: false)?.FullName).OfType<string>()];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return []; // the process ended, or a descriptor closed while it was read
        }
    }

    private static SortedDictionary<string, string> Snapshot(string folder) =>
        new(Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllText), StringComparer.Ordinal);

    private async Task<(int ExitCode, string Output)> RunAsync(string[] arguments) => await CliProcess.RunAsync(_directory, RunTimeout, arguments);

    private string[] Connection(ServerProcess server) => ["--platform-url", server.BaseUrl.ToString(), "--token-file", TokenFile, "--requests-per-second", "0"];

    private void WriteAgents(string displayName) => WriteAgents(displayName, Manifests, "agent");

    private static void WriteAgents(string displayName, string folder, string prefix)
    {
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        for (var i = 0; i < Agents; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                apiVersion: support.reconciler.dev/v1alpha1
                kind: Agent
                metadata: {"{"}name: {prefix}-{i:00}{"}"}
                spec: {"{"}email: {prefix}{i:00}@output.example, displayName: {displayName} {i}, roleRef: {"{"}name: agent{"}"}, languages: [en]{"}"}
                ---

                """);
        }

        File.WriteAllText(Path.Combine(folder, "agents.yaml"), text.ToString().TrimEnd('-', '\n', ' ') + "\n");
    }
}
