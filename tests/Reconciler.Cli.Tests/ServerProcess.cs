using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Reconciler.Cli.Tests;

/// <summary>
/// <c>reconciler platform serve</c> as a real process with its output captured, on a loopback port the kernel assigns
/// when it binds (port 0) and the server prints: a port picked free beforehand could be taken again before the
/// server binds it.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private ServerProcess(Process process)
    {
        _process = process;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(IEnumerable<string> arguments, string? token)
    {
        var info = CliLaunch.UnderTest.StartInfo(["platform", "serve", "--urls", "http://127.0.0.1:0", .. arguments]);

        if (token is not null)
        {
            info.Environment["RECONCILER_PLATFORM_TOKEN"] = token;
        }

        var process = Process.Start(info)!;
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        const string listening = "Listening on ";
        var line = await Task.Run(() => server.WaitForLine(l => l.StartsWith(listening, StringComparison.Ordinal)));
        var url = line[listening.Length..line.IndexOf(' ', listening.Length)];
        server.BaseUrl = new Uri(url.EndsWith('/') ? url : url + "/");
        await server.WaitHealthyAsync();
        return server;
    }

    public string WaitForLine(Func<string, bool> predicate)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var exited = _process.HasExited;
            if (exited)
            {
                // Waits for the redirected output to be read to its end.
                _process.WaitForExit();
            }

            var line = Output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(predicate);
            if (line is not null)
            {
                return line;
            }

            if (exited)
            {
                throw new InvalidOperationException($"platform serve exited with {_process.ExitCode} before printing the expected line; output:\n{Output}");
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"The expected line was not printed; output:\n{Output}");
    }

    public async Task<List<string>> GetRolesAsync(string token)
    {
        using var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(new Uri("api/v1/roles?limit=1000", UriKind.Relative));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];
    }

    public async Task<int> StopGracefullyAsync()
    {
        if (!_process.HasExited)
        {
            if (OperatingSystem.IsWindows())
            {
                _process.Kill(entireProcessTree: true);
            }
            else
            {
                // .NET has no managed "send signal"; kill(1) delivers the SIGTERM a container runtime would send.
                using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"platform serve exited with {_process.ExitCode}; output:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
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

        throw new TimeoutException($"/healthz did not answer within {StartTimeout}; output:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
