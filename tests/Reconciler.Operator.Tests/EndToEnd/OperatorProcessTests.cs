using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Xunit.Abstractions;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>
/// Runs <c>reconciler operator</c> as a real process (the built reconciler.dll copied next to this assembly) against the
/// fake API server and the real reference platform: the command line, endpoints, reconciling and SIGTERM as a pod sees them.
/// </summary>
public sealed class OperatorProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("reconciler-operator-process-").FullName;

    [Fact]
    public async Task Operator_process_reconciles_a_role_serves_health_and_metrics_and_stops_cleanly_on_sigterm()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, fixture.Kube.CreateKubeconfig(OperatorFixture.Namespace));
        var metricsUrl = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
        var healthUrl = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");

        await using var process = OperatorProcess.Start(
            "--kubeconfig", kubeconfig, "--namespace", OperatorFixture.Namespace,
            "--metrics-address", metricsUrl.AbsoluteUri.TrimEnd('/'), "--health-address", healthUrl.AbsoluteUri.TrimEnd('/'),
            "--leader-election", "false", "--identity", "process-test");
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await process.WaitForOkAsync(http, new Uri(healthUrl, "healthz"));
            await process.WaitForOkAsync(http, new Uri(healthUrl, "readyz"));

            await fixture.CreateSecretAsync("reconciler-platform-token", "token", OperatorFixture.OperatorToken);
            await fixture.CreateAsync("PlatformConnection", "platform", new JsonObject
            {
                ["url"] = fixture.Platform.BaseUrl.AbsoluteUri,
                ["tokenSecretRef"] = new JsonObject { ["name"] = "reconciler-platform-token", ["key"] = "token" },
                ["resyncInterval"] = "10m",
                ["requestsPerSecond"] = 1000,
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
            metrics.Should().Contain("# TYPE reconciler_reconciles_total counter");
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

    [Fact]
    public async Task Operator_process_with_a_missing_kubeconfig_exits_1_with_a_one_line_error()
    {
        await using var process = OperatorProcess.Start("--kubeconfig", Path.Combine(directory, "nonexistent"), "--leader-election", "false");
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().Be(1, "output:\n{0}", process.Output);
        var error = process.Error.Trim();
        error.Should().NotBeEmpty();
        error.Split('\n').Should().ContainSingle("one line, not a stack trace:\n{0}", error);
        error.Should().StartWith("error: ").And.Contain("nonexistent");
        process.Output.Should().NotContain("   at ");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
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

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A <c>dotnet reconciler.dll operator ...</c> child process with its stdout and stderr captured.</summary>
    private sealed class OperatorProcess : IAsyncDisposable
    {
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
        private readonly Process process;
        private readonly StringBuilder output = new();
        private readonly StringBuilder error = new();
        private readonly Lock gate = new();

        private OperatorProcess(Process process) => this.process = process;

        /// <summary>stdout and stderr interleaved.</summary>
        public string Output
        {
            get
            {
                lock (gate)
                    return output.ToString();
            }
        }

        public string Error
        {
            get
            {
                lock (gate)
                    return error.ToString();
            }
        }

        public static OperatorProcess Start(params string[] arguments)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "reconciler.dll");
            File.Exists(dll).Should().BeTrue("the test project references the CLI, so {0} is built alongside the tests", dll);
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])[dll, "operator", .. arguments])
                info.ArgumentList.Add(argument);

            // Only the kubeconfig given on the command line; never the developer's or CI's cluster.
            info.Environment.Remove("KUBECONFIG");
            info.Environment.Remove("KUBERNETES_SERVICE_HOST");
            info.Environment.Remove("KUBERNETES_SERVICE_PORT");
            info.Environment.Remove("RECONCILER_DEBUG");

            var started = new OperatorProcess(Process.Start(info)!);
            started.process.OutputDataReceived += (_, e) => started.Append(e.Data, toError: false);
            started.process.ErrorDataReceived += (_, e) => started.Append(e.Data, toError: true);
            started.process.BeginOutputReadLine();
            started.process.BeginErrorReadLine();
            return started;
        }

        public async Task WaitForOkAsync(HttpClient http, Uri url)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < StartTimeout)
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"the operator exited with {process.ExitCode}; output:\n{Output}");
                try
                {
                    using var response = await http.GetAsync(url);
                    if (response.StatusCode == HttpStatusCode.OK)
                        return;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException)
                {
                    // Slow start on a loaded machine; try again.
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"{url} did not answer 200 within {StartTimeout}; output:\n{Output}");
        }

        /// <summary>Sends SIGTERM, as a container runtime does, and waits for the exit code.</summary>
        public async Task<int> TerminateAsync(TimeSpan timeout)
        {
            if (!process.HasExited)
            {
                // .NET has no managed "send signal"; kill(1) delivers the SIGTERM a container runtime would send.
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }

            return await WaitForExitAsync(timeout);
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            try
            {
                await process.WaitForExitAsync().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"the operator did not exit within {timeout.TotalSeconds:0}s; output:\n{Output}");
            }

            // The parameterless wait also drains the redirected streams, so Output and Error are complete.
            process.WaitForExit();
            return process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
            finally
            {
                process.Dispose();
            }
        }

        private void Append(string? line, bool toError)
        {
            if (line is null)
                return;
            lock (gate)
            {
                output.AppendLine(line);
                if (toError)
                    error.AppendLine(line);
            }
        }
    }
}
