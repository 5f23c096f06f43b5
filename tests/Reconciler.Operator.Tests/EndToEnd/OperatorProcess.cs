using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>A <c>dotnet reconciler.dll operator ...</c> child process with its stdout and stderr captured.</summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _gate = new();

    private OperatorProcess(Process process) => _process = process;

    /// <summary>stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
                return _output.ToString();
        }
    }

    public string Error
    {
        get
        {
            lock (_gate)
                return _error.ToString();
        }
    }

    /// <summary>The built reconciler.dll, run by the test's own dotnet host.</summary>
    public static OperatorProcess Start(params string[] arguments) => Start(new Dictionary<string, string?>(), arguments);

    /// <summary>The built reconciler.dll with <paramref name="environment"/> changes (null removes).</summary>
    public static OperatorProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "reconciler.dll");
        File.Exists(dll).Should().BeTrue("the test project references the CLI, so {0} is built alongside the tests", dll);
        return StartExecutable(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dll, "operator", .. arguments], environment);
    }

    /// <summary>Any executable (e.g. a published self-contained reconciler) with <paramref name="environment"/> changes (null removes).</summary>
    public static OperatorProcess StartExecutable(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);

        // Only the kubeconfig given on the command line; never the developer's or CI's cluster.
        info.Environment.Remove("KUBECONFIG");
        info.Environment.Remove("KUBERNETES_SERVICE_HOST");
        info.Environment.Remove("KUBERNETES_SERVICE_PORT");
        info.Environment.Remove("RECONCILER_DEBUG");
        foreach (var (name, value) in environment)
        {
            if (value is null)
                info.Environment.Remove(name);
            else
                info.Environment[name] = value;
        }

        var started = new OperatorProcess(Process.Start(info)!);
        started._process.OutputDataReceived += (_, e) => started.Append(e.Data, toError: false);
        started._process.ErrorDataReceived += (_, e) => started.Append(e.Data, toError: true);
        started._process.BeginOutputReadLine();
        started._process.BeginErrorReadLine();
        return started;
    }

    public async Task WaitForOkAsync(HttpClient http, Uri url)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the operator exited with {_process.ExitCode}; output:\n{Output}");
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
        if (!_process.HasExited)
        {
            // .NET has no managed "send signal"; kill(1) delivers the SIGTERM a container runtime would send.
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the operator did not exit within {timeout.TotalSeconds:0}s; output:\n{Output}");
        }

        // The parameterless wait also drains the redirected streams, so Output and Error are complete.
        _process.WaitForExit();
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

    private void Append(string? line, bool toError)
    {
        if (line is null)
            return;
        lock (_gate)
        {
            _output.AppendLine(line);
            if (toError)
                _error.AppendLine(line);
        }
    }
}
