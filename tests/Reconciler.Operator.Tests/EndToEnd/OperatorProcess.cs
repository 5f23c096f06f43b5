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
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<string> Line)> _waiters = [];

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

    /// <summary>
    /// Where the operator's <paramref name="endpoint"/> (<c>metrics</c> or <c>health</c>) listens, from the line it logs
    /// once the listener is bound: the only way to learn a port 0 the system chose.
    /// </summary>
    public async Task<Uri> ListeningUrlAsync(string endpoint)
    {
        const string listening = "Listening on ";
        var line = await WaitForLineAsync(l => l.Contains(listening, StringComparison.Ordinal) && l.Contains($"{endpoint}: ", StringComparison.Ordinal));
        var start = line.IndexOf(listening, StringComparison.Ordinal) + listening.Length;
        return new Uri(line[start..line.IndexOf(' ', start)] + "/");
    }

    /// <summary>The first output line <paramref name="matches"/> accepts, printed already or still to come.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> matches)
    {
        var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(matches) is { } printed)
                return printed;
            _waiters.Add((matches, waiter));
        }

        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(waiter.Task, exited, Task.Delay(StartTimeout)) != waiter.Task)
            throw new TimeoutException($"the expected line was not printed ({(_process.HasExited ? $"the operator exited with {_process.ExitCode}" : $"within {StartTimeout}")}); output:\n{Output}");
        return await waiter.Task;
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
            foreach (var waiter in _waiters.Where(w => w.Matches(line)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Line.TrySetResult(line);
            }
        }
    }
}
