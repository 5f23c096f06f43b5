using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using Reconciler.Core.Engine;
using Xunit.Abstractions;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>
/// Runs <c>reconciler operator</c> as a real process (the built reconciler.dll copied next to this assembly) against the
/// fake API server and the real reference platform: the command line, endpoints, reconciling and SIGTERM as a pod sees them.
/// </summary>
public sealed class OperatorProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-operator-process-").FullName;

    [Fact]
    public async Task Operator_process_with_a_missing_kubeconfig_exits_1_with_a_one_line_error()
    {
        await using var process = OperatorProcess.Start("--kubeconfig", Path.Combine(_directory, "nonexistent"), "--leader-election", "false");
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().Be(1, "output:\n{0}", process.Output);
        var error = process.Error.Trim();
        error.Should().NotBeEmpty();
        error.Split('\n').Should().ContainSingle("one line, not a stack trace:\n{0}", error);
        error.Should().StartWith("error: ").And.Contain("nonexistent");
        process.Output.Should().NotContain("   at ");
    }

    [Fact]
    public Task Operator_process_reconciles_a_role_serves_health_and_metrics_and_stops_cleanly_on_sigterm() =>
        ReconcilesARoleAndStopsOnSigtermAsync(arguments => OperatorProcess.Start(arguments));

    /// <summary>
    /// The image's content: the Dockerfile's own <c>dotnet publish</c> command (self-contained, linux-x64), run here,
    /// and the published native <c>reconciler</c> executable run end to end with no shared .NET installation to fall
    /// back on and nothing writable but its working directory.
    /// </summary>
    [Fact]
    public async Task Published_self_contained_operator_binary_reconciles_a_role_end_to_end()
    {
        // The image is linux-x64; so is the machine this test is meant for (CI and development).
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
            throw new PlatformNotSupportedException("the published image binary is linux-x64");

        var published = await ReleaseArtifacts.PublishAsTheDockerfileDoesAsync(Path.Combine(_directory, "publish"), output);
        var readOnly = Directory.CreateDirectory(Path.Combine(_directory, "read-only")).FullName;
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_ROOT"] = null,
            ["DOTNET_HOST_PATH"] = null,
            ["DOTNET_EnableDiagnostics"] = "0",
            ["TMPDIR"] = readOnly,
            ["HOME"] = readOnly,
        };

        await ReconcilesARoleAndStopsOnSigtermAsync(arguments =>
            OperatorProcess.StartExecutable(Path.Combine(published, "reconciler"), ["operator", .. arguments], environment));
    }

    [Fact]
    public async Task Operator_process_whose_api_server_is_unreachable_logs_one_line_per_retry_and_no_stack_trace()
    {
        // A port bound but not listening refuses every connection, and stays ours (no other test can take it) until disposed.
        using var unreachable = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        unreachable.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            current-context: gone
            clusters:
            - name: gone
              cluster: {server: "http://127.0.0.1:{{((IPEndPoint)unreachable.LocalEndPoint!).Port}}"}
            contexts:
            - name: gone
              context: {cluster: gone, namespace: reconciler-system}
            """);
        await using var process = OperatorProcess.Start(
            "--kubeconfig", kubeconfig, "--identity", "unreachable-test",
            "--metrics-address", "http://127.0.0.1:0", "--health-address", "http://127.0.0.1:0");

        await OperatorFixture.EventuallyAsync(
            () => Task.FromResult(Regex.Count(process.Output, "cannot reach the API server") >= 2), "two Lease retries logged", TimeSpan.FromSeconds(60));
        var exitCode = await process.TerminateAsync(TimeSpan.FromSeconds(10));

        output.WriteLine(process.Output);
        exitCode.Should().Be(0);
        process.Output.Should().NotContain("   at ", "an unreachable API server is expected, not a crash");
        process.Output.Split('\n').Should().OnlyContain(line => line.Length < 400, "each retry is one short line");
        process.Output.Should().Contain("could not acquire or renew the lease: cannot reach the API server: Connection refused");
    }

    /// <summary>As controller-runtime's LeaderElectionReleaseOnCancel: a stopped leader hands its Lease over at once, not after it expires.</summary>
    [Fact]
    public async Task Operator_process_leading_releases_its_lease_on_sigterm_and_exits_0()
    {
        if (OperatingSystem.IsWindows())
            return;
        await using var fixture = await OperatorFixture.StartAsync();
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, fixture.Kube.CreateKubeconfig(OperatorFixture.Namespace));
        await using var process = OperatorProcess.Start(
            "--kubeconfig", kubeconfig, "--namespace", OperatorFixture.Namespace, "--lease-namespace", OperatorFixture.Namespace,
            "--metrics-address", "http://127.0.0.1:0", "--health-address", "http://127.0.0.1:0", "--identity", "leader-test");
        await process.WaitForLineAsync(line => line.Contains("leader-test is reconciling", StringComparison.Ordinal));
        var held = await fixture.Client.Api.CoordinationV1.ReadNamespacedLeaseAsync("reconciler-operator", OperatorFixture.Namespace);
        held.Spec.HolderIdentity.Should().Be("leader-test");

        var exitCode = await process.TerminateAsync(TimeSpan.FromSeconds(10));

        output.WriteLine(process.Output);
        exitCode.Should().Be(0);
        var released = await fixture.Client.Api.CoordinationV1.ReadNamespacedLeaseAsync("reconciler-operator", OperatorFixture.Namespace);
        released.Spec.HolderIdentity.Should().BeNullOrEmpty("the next candidate takes over at once");
        released.Spec.LeaseDurationSeconds.Should().Be(1);
        process.Output.Should().NotContain("   at ");
    }

    private async Task ReconcilesARoleAndStopsOnSigtermAsync(Func<string[], OperatorProcess> start)
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, fixture.Kube.CreateKubeconfig(OperatorFixture.Namespace));
        await using var process = start([
            "--kubeconfig", kubeconfig, "--namespace", OperatorFixture.Namespace,
            "--metrics-address", "http://127.0.0.1:0", "--health-address", "http://127.0.0.1:0",
            "--leader-election", "false", "--identity", "process-test"]);
        try
        {
            var metricsUrl = await process.ListeningUrlAsync("metrics");
            var healthUrl = await process.ListeningUrlAsync("health");
            metricsUrl.Port.Should().NotBe(healthUrl.Port, "port 0 twice is a free port for each");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await process.WaitForOkAsync(http, new Uri(healthUrl, "healthz"));
            await process.WaitForOkAsync(http, new Uri(healthUrl, "readyz"));

            await fixture.ConnectAsync(new JsonObject
            {
                ["resyncInterval"] = "10m",
            });
            await fixture.CreateAsync("Role", "team-lead", new JsonObject
            {
                ["displayName"] = "Team Lead",
                ["description"] = "Runs a shift.",
                ["permissions"] = new JsonArray("inbox.view", "inbox.reply", "reports.view", "sessions.join"),
            });

            await OperatorFixture.EventuallyAsync(
                async () => OperatorFixture.IsSynced(await fixture.GetAsync("Role", "team-lead")), "the Role to be Ready and Synced", TimeSpan.FromSeconds(60));

            var role = await fixture.GetAsync("Role", "team-lead");
            OperatorFixture.Condition(role, "Ready", out _).Should().Be("True");
            OperatorFixture.Condition(role, "Synced", out _).Should().Be("True");
            var id = role.Status!["id"]!.GetValue<string>();
            id.Should().NotBeNullOrEmpty();

            var onPlatform = await fixture.Human.GetAsync("roles", id, CancellationToken.None);
            onPlatform.Value.Should().NotBeNull();
            onPlatform.Value!.Labels.Should().Contain(Ownership.ManagedByLabel, Ownership.ManagedByValue);
            onPlatform.Value.Fields["permissions"]!.AsArray().Select(p => p!.GetValue<string>())
                .Should().BeEquivalentTo(["inbox.view", "inbox.reply", "reports.view", "sessions.join"]);

            using var metricsResponse = await http.GetAsync(new Uri(metricsUrl, "metrics"));
            metricsResponse.StatusCode.Should().Be(HttpStatusCode.OK);
            metricsResponse.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
            var metrics = await metricsResponse.Content.ReadAsStringAsync();
            metrics.Should().Contain("# TYPE controller_runtime_reconcile_total counter");
            output.WriteLine($"/metrics: {metrics.Length} bytes, {metrics.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'))} samples");
            metrics.Split('\n').Should().Contain(l => l.StartsWith("reconciler_platform_requests_total{", StringComparison.Ordinal));
            await PromtoolCheckAsync(metrics);
        }
        catch
        {
            output.WriteLine("operator output:\n" + process.Output);
            throw;
        }

        if (OperatingSystem.IsWindows())
            return;

        var watch = Stopwatch.StartNew();
        var exitCode = await process.TerminateAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"exited {exitCode} {watch.ElapsedMilliseconds} ms after SIGTERM");
        exitCode.Should().Be(0, "SIGTERM is a graceful stop; output:\n{0}", process.Output);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "a pod's grace period must not be used up; output:\n{0}", process.Output);
        process.Output.Should().NotContain("   at ");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A stale temp directory is harmless.
        }
    }

    /// <summary>Runs <c>promtool check metrics</c> on the exposition when promtool is installed (CI images may not have it).</summary>
    private async Task PromtoolCheckAsync(string metrics)
    {
        var promtool = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, OperatingSystem.IsWindows() ? "promtool.exe" : "promtool"))
            .FirstOrDefault(File.Exists);
        if (promtool is null)
        {
            output.WriteLine("promtool not installed; exposition not linted");
            return;
        }

        var info = new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var check = Process.Start(info)!;
        var stdout = check.StandardOutput.ReadToEndAsync();
        var stderr = check.StandardError.ReadToEndAsync();
        await check.StandardInput.WriteAsync(metrics);
        check.StandardInput.Close();
        await check.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        check.ExitCode.Should().Be(0, "promtool check metrics must accept /metrics:\n{0}{1}\n---\n{2}", await stdout, await stderr, metrics);
    }
}
