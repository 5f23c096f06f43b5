using System.Diagnostics;
using System.Text.Json;

namespace Reconciler.Cli.Tests;

/// <summary>
/// The CLI on a pseudo-terminal whose bytes are captured, as <c>docker run -t … &gt; out</c>, <c>kubectl exec -t</c> and
/// <c>script</c> capture them: what it writes arrives as written, with no terminal set-up of the runtime's among it
/// (.NET's console streams send the keypad-transmit sequence <c>ESC[?1h ESC=</c> on their first write and again after
/// each child process). util-linux's <c>script</c> makes the terminal; TERM names one that has the sequence.
/// </summary>
public sealed class TerminalOutputProcessTests : IDisposable
{
    private const string KeypadTransmit = "\e[?1h\e=";
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-pty-").FullName;

    [ScriptFact]
    public async Task Json_written_to_a_terminal_is_only_the_JSON()
    {
        var (exitCode, captured) = await RunOnATerminalAsync("validate", "-f", TestRepository.Example, "-o", "json");

        exitCode.Should().Be(0, captured);
        captured.Should().StartWith("{", "nothing may come before the document");
        JsonDocument.Parse(captured).RootElement.GetProperty("valid").GetBoolean().Should().BeTrue();
    }

    // Help asks the terminal's width, which the console would have set the terminal up for first.
    [ScriptTheory]
    [InlineData("--help", 0)]
    [InlineData("plan --help", 0)]
    [InlineData("", 1)]
    [InlineData("platform", 1)]
    public async Task Help_and_usage_on_a_terminal_carry_no_terminal_set_up(string command, int expectedExitCode)
    {
        var (exitCode, captured) = await RunOnATerminalAsync(command.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        exitCode.Should().Be(expectedExitCode, captured);
        captured.Should().Contain("Usage:").And.NotContain(KeypadTransmit);
    }

    [ScriptFact]
    public async Task An_apply_that_runs_git_leaves_no_terminal_set_up_in_its_output()
    {
        TestRepository.CopyExample(Path.Combine(_directory, "acme-support"));
        GitCheckout.CommitEverything(_directory);

        var (exitCode, captured) = await RunOnATerminalAsync("apply", "-f", "acme-support", "--secrets-dir", "acme-support/secrets", "--auto-approve");

        exitCode.Should().Be(0, captured);
        captured.Should().Contain("Apply complete").And.NotContain(KeypadTransmit, "after git ends the runtime would send it again, mid-output");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Runs the CLI on a new pseudo-terminal and returns its exit code and every byte the terminal received, line ends as written.</summary>
    private async Task<(int ExitCode, string Captured)> RunOnATerminalAsync(params string[] arguments)
    {
        var cli = CliLaunch.UnderTest.StartInfo(arguments);
        var command = Shell.CommandLine([cli.FileName, .. cli.ArgumentList]);
        var info = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in (string[])["--quiet", "--return", "--command", command, "/dev/null"])
            info.ArgumentList.Add(argument);
        info.Environment["TERM"] = "xterm";
        info.Environment["SHELL"] = "/bin/sh";
        info.Environment.Remove("RECONCILER_PLATFORM_TOKEN");
        info.Environment.Remove("NO_COLOR");
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await ProcessTimeout.WaitForExitAsync(process);
        (await error).Should().BeEmpty();

        // The terminal turns each \n into \r\n (onlcr).
        return (process.ExitCode, (await output).Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}

/// <summary>A fact that is skipped, saying why, where util-linux's <c>script</c> is missing (Debian's bsdutils has it).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ScriptFactAttribute : FactAttribute
{
    public ScriptFactAttribute() => Skip = ScriptTheoryAttribute.SkipReason;
}

/// <summary>A theory that is skipped, saying why, where util-linux's <c>script</c> is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ScriptTheoryAttribute : TheoryAttribute
{
    public ScriptTheoryAttribute() => Skip = SkipReason;

    // The CLI writes its own output only on Linux, and only util-linux's script has --command and --return.
    internal static string? SkipReason =>
        !OperatingSystem.IsLinux() ? "the CLI writes standard output itself only on Linux"
        : File.Exists("/usr/bin/script") ? null
        : "util-linux's script is not installed; the test needs it to capture a pseudo-terminal";
}
