using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Reconciler.Benchmarks;

/// <summary>
/// A <c>reconciler</c> child process (apply, or the operator), with its output kept and its CPU time readable; its start
/// and CPU reading are shared by the process benchmark and the operator's scale bench.
/// </summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private CliProcess(Process process) => _process = process;

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_gate)
                return _output.ToString();
        }
    }

    public static CliProcess Start(string cli, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = StartInfo(cli, args);

        // Only what the run names: never a developer's cluster.
        start.Environment.Remove("KUBECONFIG");
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        var started = new CliProcess(Process.Start(start)!);
        started._process.OutputDataReceived += (_, e) => started.Append(e.Data);
        started._process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        started._process.BeginOutputReadLine();
        started._process.BeginErrorReadLine();
        return started;
    }

    /// <summary>How to run the CLI (its apphost, or <c>dotnet</c> with its dll) with redirected streams and no colours.</summary>
    public static ProcessStartInfo StartInfo(string cli, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo
        {
            FileName = cli.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : cli,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (cli.EndsWith(".dll", StringComparison.Ordinal))
            start.ArgumentList.Add(cli);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    /// <summary>utime + stime in seconds, read from /proc while the process lives.</summary>
    public double CpuSeconds() => CpuSeconds(_process.Id);

    /// <summary>utime + stime of process <paramref name="pid"/> in seconds (USER_HZ is 100 on Linux); NaN once it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or InvalidOperationException)
        {
            return double.NaN;
        }
    }

    /// <summary>Waits for exit, sampling CPU time until then (the last sample is within 10 ms of the total).</summary>
    public async Task<double> WaitForExitAsync(CancellationToken cancellationToken)
    {
        var cpu = 0.0;
        while (!_process.HasExited)
        {
            var sample = CpuSeconds();
            if (!double.IsNaN(sample))
                cpu = Math.Max(cpu, sample);
            await Task.Delay(10, cancellationToken);
        }

        await _process.WaitForExitAsync(cancellationToken);
        return cpu;
    }

    public string Tail(int characters = 1500)
    {
        var text = Output;
        return text.Length <= characters ? text : text[^characters..];
    }

    public static string DefaultCli()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var folder = Path.Combine(directory.FullName, "src/Reconciler.Cli/bin/Release/net10.0");
            if (Directory.Exists(folder))
                return File.Exists(Path.Combine(folder, "reconciler")) ? Path.Combine(folder, "reconciler") : Path.Combine(folder, "reconciler.dll");
        }

        throw new InvalidOperationException("src/Reconciler.Cli/bin/Release/net10.0 not found above the current directory: run from the repository after `dotnet build src/Reconciler.Cli -c Release`, or pass --cli.");
    }

    /// <summary>SIGTERM, as a container runtime stops the operator, then the exit.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
        {
            // The operator logs as it goes: keep the tail, not gigabytes.
            if (_output.Length > 1_000_000)
                _output.Remove(0, _output.Length / 2);
            _output.AppendLine(line);
        }
    }
}
