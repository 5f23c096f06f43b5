using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Core.Platform;

namespace Reconciler.Cli.Tests;

/// <summary>
/// <c>reconciler apply</c> SIGKILLed (Process.Kill) mid-run against <c>reconciler platform serve</c>, both real processes:
/// the re-run, helped by <c>.reconciler/pending-creates.json</c> in its working directory, converges with exactly one
/// platform object per natural key and a clean plan afterwards.
/// </summary>
public sealed class CrashRecoveryProcessTests : IDisposable
{
    private const int Agents = 150;
    private const int Roles = 4;
    private const int Units = 4;
    private const int Desired = Agents + Roles + Units;
    private const string Token = "crash-test-token-0123456789";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private static readonly string[] Collections = ["office-hours", "roles", "tag-groups", "sso-providers", "business-units", "agents"];

    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-crash-test-").FullName;

    private string TokenFile => Path.Combine(_directory, "token");

    private string Manifests => Path.Combine(_directory, "org");

    [Fact]
    public async Task Apply_killed_at_two_points_then_rerun_converges_without_duplicates()
    {
        await using var server = await StartServerAsync();
        using var admin = AdminClient(server.BaseUrl);

        // Killed twice, early and halfway through what is left; each later run picks up what the earlier one reserved.
        // The second kill point follows from the first run's real count: on a loaded machine the first kill has landed
        // a hundred creates late, and a fixed second point then lay beyond the end of the run.
        var first = await ApplyKilledAfterAsync(server, admin, creates: 20);
        var second = await ApplyKilledAfterAsync(server, admin, creates: Math.Max(1, (Desired - first) / 2));
        first.Should().BeLessThan(Desired, "the first run was killed before it finished");
        second.Should().BeGreaterThan(first).And.BeLessThan(Desired, "the second run was killed before it finished");

        await AssertConvergesAsync(server, admin);
    }

    [Fact]
    public async Task Apply_killed_while_the_platform_drops_connections_after_commit_then_rerun_converges()
    {
        // A dropped response after a committed create is retried with the same Idempotency-Key: no duplicate either.
        await using var server = await StartServerAsync("--fault-drop-after-commit-rate", "0.1");
        using var admin = AdminClient(server.BaseUrl);

        var killedAt = await ApplyKilledAfterAsync(server, admin, creates: 50);
        killedAt.Should().BeLessThan(Desired);

        await AssertConvergesAsync(server, admin);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still be closing its file on a slow machine; a stale temp directory is harmless.
        }
    }

    // 200 ms per request keeps a whole apply (158 creates, parallelism 4) near 8 s, so a kill lands before the run ends
    // even when the test process is starved of CPU for seconds on a loaded 2-core machine (80 ms was not enough in CI).
    private async Task<ServerProcess> StartServerAsync(params string[] faults)
    {
        await File.WriteAllTextAsync(TokenFile, Token + "\n");
        WriteManifests(Manifests);
        return await ServerProcess.StartAsync(
            ["--database", Path.Combine(_directory, "platform.db"), "--token-file", TokenFile, "--fault-latency-ms", "200", .. faults], token: null);
    }

    private string[] ApplyArguments(ServerProcess server) =>
        ["apply", "-f", Manifests, "--platform-url", server.BaseUrl.ToString(), "--token-file", TokenFile,
         "--auto-approve", "--parallelism", "4", "--requests-per-second", "0"];

    /// <summary>
    /// Starts apply, SIGKILLs it once it has reported <paramref name="creates"/> creates, returns the audit trail's creates
    /// then. Its own progress lines are read, not the audit trail: on a loaded machine listing the trail through the
    /// slowed platform took longer than the whole apply.
    /// </summary>
    private async Task<int> ApplyKilledAfterAsync(ServerProcess server, Admin admin, int creates)
    {
        using var apply = CliProcess.Start(_directory, ApplyArguments(server));
        var deadline = DateTime.UtcNow + RunTimeout;
        while (apply.StandardOutput.Split('\n').Count(line => line.StartsWith("  Created ", StringComparison.Ordinal)) < creates)
        {
            apply.Process.HasExited.Should().BeFalse("apply should still be running at {0} creates; output:\n{1}", creates, apply.Output);
            DateTime.UtcNow.Should().BeBefore(deadline, "apply should reach {0} creates; output:\n{1}", creates, apply.Output);
            await Task.Delay(20);
        }

        apply.Process.Kill(); // SIGKILL: no finally blocks, no flush, no cleanup
        await apply.Process.WaitForExitAsync();
        File.Exists(Path.Combine(_directory, ".reconciler", "pending-creates.json")).Should().BeTrue(
            "creates are reserved in the working directory before they are sent");
        return await admin.CreatesAsync();
    }

    private async Task AssertConvergesAsync(ServerProcess server, Admin admin)
    {
        var rerun = await CliProcess.RunAsync(_directory, RunTimeout, ApplyArguments(server));
        rerun.ExitCode.Should().Be(0, rerun.Output);

        foreach (var collection in Collections)
        {
            var objects = await admin.ListAsync(collection);
            objects.GroupBy(o => o.Key).Where(g => g.Count() > 1).Select(g => g.Key).Should().BeEmpty("{0} has one object per natural key", collection);
        }

        (await admin.ListAsync("agents")).Select(a => a.Key).Should().BeEquivalentTo(Enumerable.Range(0, Agents).Select(Email));
        (await admin.ListAsync("roles")).Select(r => r.Key).Should().Contain(Enumerable.Range(0, Roles).Select(r => $"crash-role-{r}"));
        (await admin.ListAsync("business-units")).Select(u => u.Key).Should().BeEquivalentTo(Enumerable.Range(0, Units).Select(u => $"unit-{u}"));

        var plan = await CliProcess.RunAsync(_directory, RunTimeout,
            ["plan", "-f", Manifests, "--platform-url", server.BaseUrl.ToString(), "--token-file", TokenFile, "--detailed-exitcode", "--requests-per-second", "0"]);
        plan.ExitCode.Should().Be(0, plan.Output);
        plan.Output.Should().Contain("No changes.");
    }

    private static string Email(int i) => string.Create(CultureInfo.InvariantCulture, $"agent{i:000}@crash.example");

    /// <summary>4 roles, 4 business units and 150 agents; the first ten supervise the rest, so creates come in waves.</summary>
    private static void WriteManifests(string folder)
    {
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        for (var r = 0; r < Roles; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                apiVersion: support.reconciler.dev/v1alpha1
                kind: Role
                metadata: {"{"}name: crash-role-{r}{"}"}
                spec: {"{"}displayName: Crash role {r}, permissions: [inbox.view, reports.view]{"}"}
                ---

                """);
        }

        for (var u = 0; u < Units; u++)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                apiVersion: support.reconciler.dev/v1alpha1
                kind: BusinessUnit
                metadata: {"{"}name: unit-{u}{"}"}
                spec: {"{"}displayName: Unit {u}{"}"}
                ---

                """);
        }

        File.WriteAllText(Path.Combine(folder, "org.yaml"), text.ToString().TrimEnd('-', '\n', ' ') + "\n");
        text.Clear();
        for (var i = 0; i < Agents; i++)
        {
            var supervisor = i < 10 ? "" : string.Create(CultureInfo.InvariantCulture, $", supervisorRef: {{name: agent-{i % 10:000}}}");
            text.Append(CultureInfo.InvariantCulture, $"""
                apiVersion: support.reconciler.dev/v1alpha1
                kind: Agent
                metadata: {"{"}name: agent-{i:000}{"}"}
                spec: {"{"}email: {Email(i)}, displayName: Agent {i}, roleRef: {"{"}name: crash-role-{i % Roles}{"}"}, businessUnitRefs: [{"{"}name: unit-{i % Units}{"}"}], languages: [en]{supervisor}{"}"}
                ---

                """);
        }

        File.WriteAllText(Path.Combine(folder, "agents.yaml"), text.ToString().TrimEnd('-', '\n', ' ') + "\n");
    }

    private static Admin AdminClient(Uri baseUrl)
    {
        return new Admin(TestAdminClient.Services(baseUrl, Token));
    }

    /// <summary>The test's own view of the platform, over its HTTP API (GET /api/v1/audit-events and the list endpoints).</summary>
    private sealed class Admin(ServiceProvider services) : IDisposable
    {
        private IPlatformClient Client => services.GetRequiredService<IPlatformClient>();

        public async Task<int> CreatesAsync()
        {
            var events = await Client.ListAuditEventsAsync(new AuditQuery(), CancellationToken.None);
            events.IsOk.Should().BeTrue(events.Message);
            // The platform seeds its built-in objects itself; only the token's principal ("admin") is the CLI.
            return events.Value!.Count(e => e.Action == "create" && e.Actor == "admin");
        }

        public async Task<IReadOnlyList<PlatformObject>> ListAsync(string collection)
        {
            var result = await Client.ListAsync(collection, CancellationToken.None);
            result.IsOk.Should().BeTrue(result.Message);
            return result.Value!;
        }

        public void Dispose() => services.Dispose();
    }
}
