using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Core.Platform;
using Xunit.Abstractions;

namespace Reconciler.Cli.Tests;

/// <summary>
/// <c>reconciler apply</c> SIGKILLed at a random point against <c>reconciler platform serve</c> (both real processes),
/// then the world changes before the re-run: (a) created agents are deleted by hand, (b) they are pruned and added
/// back, (c) their manifests are edited and the objects deleted. One re-run must create each missing agent exactly
/// once, exit 0, and leave <c>plan</c> clean: no phantom "Created", no "Idempotency-Key reused".
/// </summary>
public sealed class InterruptionProcessTests(ITestOutputHelper log) : IDisposable
{
    private const int Agents = 24;
    private const string Token = "interruption-token-0123456789";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Trials per case; RECONCILER_KILL_TRIALS raises it for measurements.</summary>
    private static readonly int Trials = int.TryParse(Environment.GetEnvironmentVariable("RECONCILER_KILL_TRIALS"), out var n) ? n : 2;

    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-interrupt-").FullName;

    private string TokenFile => Path.Combine(_directory, "token");

    public enum Change
    {
        DeletedByHand,
        PrunedAndAddedBack,
        EditedAndDeleted,
    }

    [Theory]
    [InlineData(Change.DeletedByHand)]
    [InlineData(Change.PrunedAndAddedBack)]
    [InlineData(Change.EditedAndDeleted)]
    public async Task Apply_killed_at_a_random_point_then_changed_converges_in_one_rerun(Change change)
    {
        await File.WriteAllTextAsync(TokenFile, Token + "\n");
        await using var server = await ServerProcess.StartAsync(
            ["--database", Path.Combine(_directory, "platform.db"), "--token-file", TokenFile, "--fault-latency-ms", "40"], token: null);
        using var admin = new Admin(server.BaseUrl);
        var random = new Random();
        var reruns = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var prefix = $"t{trial}";
            var folder = Path.Combine(_directory, $"org-{change}-{trial}");
            WriteAgents(folder, prefix, "Agent");
            var killAt = random.Next(2, Agents - 2);
            var before = await admin.CreatesAsync();
            using (var apply = CliProcess.Start(_directory, Apply(server, folder)))
            {
                while (true)
                {
                    // Whether it had exited before the count was taken: the count is slow (the platform adds latency),
                    // and an apply may finish while it is in flight.
                    var exited = apply.Process.HasExited;
                    if (await admin.CreatesAsync() - before >= killAt)
                        break;
                    exited.Should().BeFalse("apply should still run at {0} creates; output:\n{1}", killAt, apply.Output);
                    await Task.Delay(5);
                }

                apply.Process.Kill(); // SIGKILL: no cleanup, no release of pending keys
                await apply.Process.WaitForExitAsync();
            }

            var created = (await admin.ListAsync("agents")).Where(a => a.Key.StartsWith(prefix + "-", StringComparison.Ordinal)).ToList();
            var victims = created.Take(Math.Max(1, created.Count / 2)).ToList();
            switch (change)
            {
                case Change.DeletedByHand:
                    foreach (var victim in victims)
                        await admin.DeleteAsync(victim);
                    break;
                case Change.PrunedAndAddedBack:
                    var keep = Enumerable.Range(0, Agents).Where(i => !victims.Any(v => v.Key == Email(prefix, i))).ToList();
                    WriteAgents(folder, prefix, "Agent", keep);
                    var prune = await CliProcess.RunAsync(_directory, RunTimeout, [.. Apply(server, folder), "--prune", "--max-deletes", "100", "--allow", "mass-change"]);
                    prune.ExitCode.Should().Be(0, prune.Output);
                    WriteAgents(folder, prefix, "Agent");
                    break;
                case Change.EditedAndDeleted:
                    WriteAgents(folder, prefix, "Edited agent");
                    foreach (var victim in victims)
                        await admin.DeleteAsync(victim);
                    break;
            }

            var rerun = await CliProcess.RunAsync(_directory, RunTimeout, Apply(server, folder));
            reruns++;
            rerun.ExitCode.Should().Be(0, rerun.Output);
            rerun.Output.Should().NotContain("Idempotency-Key reused");

            var agents = (await admin.ListAsync("agents")).Where(a => a.Key.StartsWith(prefix + "-", StringComparison.Ordinal)).ToList();
            agents.Select(a => a.Key).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(Enumerable.Range(0, Agents).Select(i => Email(prefix, i)),
                "every agent the re-run reported exists, exactly once (trial {0}, killed after {1} creates); output:\n{2}", trial, killAt, rerun.Output);
            var plan = await CliProcess.RunAsync(_directory, RunTimeout,
                ["plan", "-f", folder, "--platform-url", server.BaseUrl.ToString(), "--token-file", TokenFile, "--detailed-exitcode"]);
            plan.ExitCode.Should().Be(0, plan.Output);
            log.WriteLine($"{change} trial {trial}: killed after {killAt} creates, {created.Count} existed, {victims.Count} changed; re-run exit 0; duplicates 0; missing 0");
        }

        log.WriteLine($"{change}: {Trials} kill -9 trials, {reruns} re-runs, 0 duplicates, 0 missing");
    }

    [Fact]
    public async Task A_second_apply_in_the_same_folder_names_the_lock_holder_or_waits_with_lock_timeout()
    {
        await File.WriteAllTextAsync(TokenFile, Token + "\n");
        await using var server = await ServerProcess.StartAsync(
            ["--database", Path.Combine(_directory, "platform.db"), "--token-file", TokenFile, "--fault-latency-ms", "1000"], token: null);
        using var admin = new Admin(server.BaseUrl);
        var folder = Path.Combine(_directory, "org-lock");
        WriteAgents(folder, "lock", "Agent");
        using var first = CliProcess.Start(_directory, Apply(server, folder));
        while (await admin.CreatesAsync() == 0)
        {
            first.Process.HasExited.Should().BeFalse(first.Output);
            await Task.Delay(20);
        }

        var refused = await CliProcess.RunAsync(_directory, RunTimeout, Apply(server, folder));
        refused.ExitCode.Should().Be(1);
        refused.Output.Should().Contain("is locked").And.Contain($"pid {first.Process.Id} on host {Environment.MachineName}").And.Contain("--lock-timeout");
        refused.Output.Should().NotContain("pending-creates.json.tmp").And.NotContain("Idempotency-Key reused");

        var waited = await CliProcess.RunAsync(_directory, RunTimeout, [.. Apply(server, folder), "--lock-timeout", "100s"]);
        waited.ExitCode.Should().Be(0, waited.Output);
        first.Process.HasExited.Should().BeTrue("the waiting run got the lock only after the first one ended");
        first.Process.ExitCode.Should().Be(0, first.Output);
        (await admin.ListAsync("agents")).Count(a => a.Key.StartsWith("lock-", StringComparison.Ordinal)).Should().Be(Agents);
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

    private string[] Apply(ServerProcess server, string folder) =>
        ["apply", "-f", folder, "--platform-url", server.BaseUrl.ToString(), "--token-file", TokenFile, "--auto-approve", "--parallelism", "2"];

    private static string Email(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-agent{i:00}@kill.example");

    private static void WriteAgents(string folder, string prefix, string displayName, IEnumerable<int>? which = null)
    {
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        foreach (var i in which ?? Enumerable.Range(0, Agents))
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

    /// <summary>The test's own view of the platform over its HTTP API: the audit trail, lists, and deletes "by hand".</summary>
    private sealed class Admin : IDisposable
    {
        private readonly ServiceProvider _services;

        public Admin(Uri baseUrl)
        {
            _services = TestAdminClient.Services(baseUrl, Token);
        }

        private IPlatformClient Client => _services.GetRequiredService<IPlatformClient>();

        public async Task<int> CreatesAsync()
        {
            var events = await Client.ListAuditEventsAsync(new AuditQuery(Collection: "agents"), CancellationToken.None);
            events.IsOk.Should().BeTrue(events.Message);
            return events.Value!.Count(e => e.Action == "create");
        }

        public async Task<IReadOnlyList<PlatformObject>> ListAsync(string collection)
        {
            var result = await Client.ListAsync(collection, CancellationToken.None);
            result.IsOk.Should().BeTrue(result.Message);
            return result.Value!;
        }

        public async Task DeleteAsync(PlatformObject target)
        {
            var deleted = await Client.DeleteAsync("agents", target.Id, target.Version, new ChangeReason("deleted in the console"), CancellationToken.None);
            deleted.IsOk.Should().BeTrue(deleted.Message);
        }

        public void Dispose() => _services.Dispose();
    }
}
