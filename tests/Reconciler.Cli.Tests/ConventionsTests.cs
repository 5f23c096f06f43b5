using System.Diagnostics;
using Reconciler.Cli.Plumbing;
using Reconciler.Cli.Tests.Integration;

namespace Reconciler.Cli.Tests;

/// <summary>Command-line conventions: one-line errors for bad values, shell completion, colour rules, planning one file.</summary>
public sealed class ConventionsTests
{
    [Theory]
    [InlineData("plan -f x -o yaml", "error: --output: 'yaml' is not valid; use one of: text, json, markdown")]
    [InlineData("validate -f x -o xml", "error: --output: 'xml' is not valid; use one of: text, json, junit, sarif")]
    [InlineData("completion tcsh", "error: shell: 'tcsh' is not valid; use one of: bash, zsh, fish, pwsh")]
    [InlineData("plan -f x --requests-per-second -1", "error: --requests-per-second must be 0 (no ceiling) or more.")]
    [InlineData("apply -f x --requests-per-second -5", "error: --requests-per-second must be 0 (no ceiling) or more.")]
    [InlineData("apply -f x --parallelism 0", "error: --parallelism must be at least 1.")]
    [InlineData("apply org.plan --prune", "error: --prune cannot be used with a saved plan file: the plan applies the manifests and options it was saved with; run 'plan -out' again to change them")]
    [InlineData("apply org.plan --max-deletes 50", "error: --max-deletes cannot be used with a saved plan file: the plan applies the manifests and options it was saved with; run 'plan -out' again to change them")]
    [InlineData("apply org.plan --allow-empty-kind", "error: --allow-empty-kind cannot be used with a saved plan file: the plan applies the manifests and options it was saved with; run 'plan -out' again to change them")]
    [InlineData("apply org.plan -f org", "error: --filename cannot be used with a saved plan file: the plan applies the manifests and options it was saved with; run 'plan -out' again to change them")]
    [InlineData("apply -f x -o json", "error: -o json cannot ask for approval: add --auto-approve, or apply a plan saved with 'plan -out FILE'")]
    public async Task A_bad_option_value_prints_one_line_with_the_valid_values_and_not_the_help(string arguments, string expected)
    {
        var (exitCode, output) = await CliProcess.RunAsync(Path.GetTempPath(), TimeSpan.FromSeconds(60), arguments.Split(' '));

        exitCode.Should().Be(1);
        output.Trim().Should().Be(expected);
    }

    [Theory]
    [InlineData("reconciler pl", "plan")]
    [InlineData("reconciler plan -o m", "markdown")]
    [InlineData("reconciler validate -o s", "sarif")]
    [InlineData("reconciler completion z", "zsh")]
    public void The_bash_completion_script_completes_commands_and_option_values(string line, string expected)
    {
        if (OperatingSystem.IsWindows())
            return; // bash completion is for POSIX shells.
        var bin = Directory.CreateTempSubdirectory("reconciler-completion-").FullName;
        try
        {
            var wrapper = Path.Combine(bin, "reconciler");
            File.WriteAllText(wrapper, $"#!/bin/sh\nexec '{CliProcess.DotnetHost}' '{CliProcess.Dll}' \"$@\"\n");
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var words = line.Split(' ');
            var script = $$"""
                source <(reconciler completion bash)
                COMP_LINE='{{line}}'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=({{line}}); COMP_CWORD={{words.Length - 1}}
                _reconciler_complete
                printf '%s\n' "${COMPREPLY[@]}"
                """;
            var info = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
            using var bash = Process.Start(info)!;
            var output = bash.StandardOutput.ReadToEnd();
            bash.WaitForExit();

            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Contain(expected, bash.StandardError.ReadToEnd());
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("dumb", null, false)]
    [InlineData("xterm-256color", "1", false)]
    public void Colour_is_off_for_a_dumb_terminal_and_with_no_color(string? term, string? noColor, bool expected)
    {
        var environment = new CliEnvironment(name => name switch { "TERM" => term, "NO_COLOR" => noColor, _ => null }, ".", IsInteractive: true, _ => { });

        environment.UseColor.Should().Be(expected);
    }

    [Fact]
    public async Task Planning_one_file_looks_up_what_it_references_in_other_files_on_the_platform()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync("apply -f acme-support --auto-approve --platform-url {url}")).ExitCode.Should().Be(0);
        var file = Path.Combine(cli.Manifests, "agents", "emea.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("maxConcurrentChats: 5", "maxConcurrentChats: 7", StringComparison.Ordinal));

        var plan = await cli.RunAsync("plan -f acme-support/agents/emea.yaml --platform-url {url}");

        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("~ spec.maxConcurrentChats: 5 -> 7").And.NotContain("ReferenceNotFound").And.NotContain("to delete.\n1");
        plan.Error.Should().Contain("note: acme-support/agents/emea.yaml:").And.Contain("not in the given files; looked up on the platform");
    }

    [Fact]
    public async Task Schema_writes_into_the_working_directory_of_the_command_not_of_the_process()
    {
        await using var cli = await CliHarness.StartAsync();

        var run = await cli.RunAsync("schema --output-dir editor-schemas");

        run.ExitCode.Should().Be(0, run.ToString());
        File.Exists(Path.Combine(cli.Directory, "editor-schemas", "support.reconciler.dev", "agent_v1alpha1.json")).Should().BeTrue();
        Directory.Exists(Path.Combine(Directory.GetCurrentDirectory(), "editor-schemas")).Should().BeFalse();
        run.Output.Should().Contain("wrote editor-schemas/support.reconciler.dev/agent_v1alpha1.json");
    }
}
