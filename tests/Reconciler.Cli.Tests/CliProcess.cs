using System.Diagnostics;
using System.Text;

namespace Reconciler.Cli.Tests;

/// <summary>The CLI (<see cref="CliLaunch.UnderTest"/>) run as a real process in a working directory, with its output captured.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly Lock _gate = new();

    private CliProcess(Process process) => Process = process;

    public Process Process { get; }

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

    /// <summary>Standard output alone, as <see cref="Output"/> has both streams interleaved as they arrived.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _standardOutput.ToString();
            }
        }
    }

    public static string Dll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "reconciler.dll");
            File.Exists(dll).Should().BeTrue("the test project references the CLI, so {0} is built alongside the tests", dll);
            return dll;
        }
    }

    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public static CliProcess Start(string workingDirectory, params string[] arguments) => Start(workingDirectory, CliLaunch.UnderTest, arguments);

    /// <summary>As <see cref="Start(string, string[])"/>, started as <paramref name="launch"/> says.</summary>
    public static CliProcess Start(string workingDirectory, CliLaunch launch, IReadOnlyList<string> arguments)
    {
        var info = launch.StartInfo(arguments);
        info.WorkingDirectory = workingDirectory;
        var process = System.Diagnostics.Process.Start(info)!;
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Append(e.Data, standardOutput: true);
        process.ErrorDataReceived += (_, e) => cli.Append(e.Data, standardOutput: false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs to completion (or fails the test after <paramref name="timeout"/>) and returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        using var cli = Start(workingDirectory, arguments);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await cli.Process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            cli.Process.Kill(entireProcessTree: true);
            throw new TimeoutException($"reconciler {string.Join(' ', arguments)} did not finish within {timeout}; output:\n{cli.Output}");
        }

        cli.Process.WaitForExit(); // flushes the redirected output
        return (cli.Process.ExitCode, cli.Output);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }

    private void Append(string? line, bool standardOutput)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
            if (standardOutput)
                _standardOutput.AppendLine(line);
        }
    }
}
