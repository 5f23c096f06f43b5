using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Reconciler.Cli.Tests;

/// <summary>
/// <c>plan -out</c> and <c>export --output-dir</c> (real processes, against <c>reconciler platform serve</c>) SIGKILLed
/// at the first change the write makes in the target folder, seen through inotify rather than after a sleep: every
/// target holds its old complete content or its new complete content, never a part, and nothing else is left in the
/// folder, where a user would commit it with the rest.
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

        // Killed while it writes (a file of it open in the folder): nothing of the write may be left. Killed at the first
        // change it makes there (naming and renaming cannot be one step): each file old or new, and the next run leaves
        // nothing of the killed one.
        foreach (var (folder, arguments) in (IEnumerable<(string, string[])>)[(plans, planOut), (exported, export)])
        {
            var attempts = 0;
            while (!await KilledAsync(folder, arguments, atFirstChange: false))
            {
                AssertOldOrNew("finished before the kill");
                (++attempts).Should().BeLessThan(Attempts, "a run of {0} is killed while it writes", arguments[0]);
            }

            AssertOldOrNew($"{arguments[0]} killed while writing");
        }

        // Export's set has the widest window between naming its files and renaming the last.
        await KilledAsync(exported, export, atFirstChange: true);
        AssertOldOrNew(null);
        (await RunAsync(export)).ExitCode.Should().Be(0);
        AssertOldOrNew("export run again after a kill at the first change");

        // Each target old or new, whole; nothing else in its folder unless `clean` is null.
        void AssertOldOrNew(string? clean)
        {
            var planFiles = Snapshot(plans);
            var planText = planFiles["org.plan"];
            if (planText != oldPlan)
                FluentActions.Invoking(() => JsonDocument.Parse(planText).Dispose()).Should().NotThrow("the plan file is the old one or a whole new one");
            var now = Snapshot(exported);
            foreach (var (name, content) in exportedFiles)
                now[name].Should().BeOneOf([oldExport[name], content], "{0} is the old file or the new one, whole", name);
            if (clean is null)
                return;
            planFiles.Keys.Should().Equal(["org.plan"], "{0}: nothing but the plan is left beside it", clean);
            now.Keys.Should().BeEquivalentTo(exportedFiles.Keys, "{0}: nothing but the exported files is left in the folder", clean);
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
    private static bool OpenIn(string descriptors, string folder)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(descriptors).Any(d =>
                File.ResolveLinkTarget(d, returnFinalTarget: false)?.FullName.StartsWith(folder + "/", StringComparison.Ordinal) == true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the process ended, or a descriptor closed while it was read
        }
    }

    private static SortedDictionary<string, string> Snapshot(string folder) =>
        new(Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllText), StringComparer.Ordinal);

    private async Task<(int ExitCode, string Output)> RunAsync(string[] arguments) => await CliProcess.RunAsync(_directory, RunTimeout, arguments);

    private string[] Connection(ServerProcess server) => ["--platform-url", server.BaseUrl.ToString(), "--token-file", TokenFile, "--requests-per-second", "0"];

    private void WriteAgents(string displayName)
    {
        Directory.CreateDirectory(Manifests);
        var text = new StringBuilder();
        for (var i = 0; i < Agents; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                apiVersion: support.reconciler.dev/v1alpha1
                kind: Agent
                metadata: {"{"}name: agent-{i:00}{"}"}
                spec: {"{"}email: agent{i:00}@output.example, displayName: {displayName} {i}, roleRef: {"{"}name: agent{"}"}, languages: [en]{"}"}
                ---

                """);
        }

        File.WriteAllText(Path.Combine(Manifests, "agents.yaml"), text.ToString().TrimEnd('-', '\n', ' ') + "\n");
    }
}
