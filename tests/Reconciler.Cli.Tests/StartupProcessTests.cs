using System.Diagnostics;
using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests;

/// <summary>What the <c>reconciler</c> process does at start-up, seen from outside: the methods the runtime compiles and what it prints.</summary>
public sealed class StartupProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-startup-").FullName;

    [Theory]
    [InlineData("validate -f org", true)]
    [InlineData("plan -f org --platform-url https://admin.example.com", true)]
    [InlineData("apply -f org --platform-url=https://admin.example.com --auto-approve", true)]
    [InlineData("plan -f org", false)] // the embedded platform (Dapper emits IL) may run in the process
    [InlineData("apply org.plan", false)]
    [InlineData("platform serve --urls http://127.0.0.1:0", false)]
    [InlineData("operator", false)]
    [InlineData("--platform-url", true)]
    public void Only_runs_that_never_host_the_embedded_platform_go_without_dynamic_code(string arguments, bool expected) =>
        Program.RunsWithoutDynamicCode(arguments.Split(' ')).Should().Be(expected);

    [Theory]
    [InlineData("validate -f {example}")]
    [InlineData("validate -f {example} -o json")]
    [InlineData("validate -f {example}/sso.yaml --no-color -o sarif")]
    [InlineData("validate --help")]
    [InlineData("validate")]
    [InlineData("validate -f {example} -o yaml")]
    [InlineData("validate -f {example} --bogus plan")]
    [InlineData("validate -f nowhere.yaml")]
    [InlineData("plan --help")]
    [InlineData("plan")]
    [InlineData("plan -f {example} -o yaml")]
    [InlineData("plan -f {example} --platform-url ftp://admin.example.com")]
    [InlineData("plan -f {example} --platform-url https://admin.example.com --at 2026-12-07 -out saved.plan")]
    [InlineData("plan -f nowhere.yaml --platform-url https://admin.example.com")]
    [InlineData("apply --help")]
    [InlineData("apply")]
    [InlineData("apply -f {example} --prune saved.plan")]
    [InlineData("apply -f {example} --lock-timeout soon --platform-url https://admin.example.com")]
    [InlineData("apply -f {example} --platform-url https://admin.example.com")]
    public async Task Validate_plan_and_apply_run_the_same_under_a_root_of_their_own_command_as_under_the_whole_tree(string command)
    {
        var args = command.Replace("{example}", Path.Combine(TestRepository.Root, "examples", "acme-support"), StringComparison.Ordinal).Split(' ');
        var environment = new CliEnvironment(_ => null, _directory, IsInteractive: false, _ => { });

        var alone = await InvokeAsync(Program.CreateRootFor(args, () => environment), args);

        alone.Should().Be(await InvokeAsync(Program.CreateRoot(environment), args));
        (alone.Stdout + alone.Stderr).Length.Should().BePositive();
    }

    [Fact]
    public async Task Validate_compiles_no_emitted_methods_and_reports_as_in_process()
    {
        var example = Path.Combine(TestRepository.Root, "examples", "acme-support");
        var jitLog = Path.Combine(_directory, "jit.txt");

        // The runtime's own list of every method it JIT-compiles; emitted code shows up as (dynamicClass).
        var (exitCode, stdout, stderr) = await RunAsync(JitSummaryTo(jitLog), "validate", "-f", example, "-o", "json");

        exitCode.Should().Be(0, stderr);
        stdout.Should().Be(await InProcessAsync("validate", "-f", example, "-o", "json"), "the process without dynamic code reports exactly what the command does in-process");
        var compiled = await File.ReadAllLinesAsync(jitLog);
        compiled.Should().Contain(line => line.Contains("JIT compiled", StringComparison.Ordinal), "the runtime wrote its JIT summary");
        compiled.Where(Emitted).Should().BeEmpty(
            "validate runs without Reflection.Emit: System.Text.Json, reflection invoke and compiled regexes interpret instead of emitting code to JIT");
    }

    [Fact]
    public async Task Apply_and_plan_against_a_platform_url_compile_no_emitted_methods_and_converge()
    {
        var example = Path.Combine(TestRepository.Root, "examples", "acme-support");
        var tokenFile = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(tokenFile, "startup-test-token-0123456789\n");
        await using var server = await ServerProcess.StartAsync(["--database", Path.Combine(_directory, "platform.db"), "--token-file", tokenFile], token: null);
        string[] connection = ["--platform-url", server.BaseUrl.ToString(), "--token-file", tokenFile, "--secrets-dir", Path.Combine(example, "secrets")];

        var apply = await RunAsync(new Dictionary<string, string>(), ["apply", "-f", example, "--auto-approve", .. connection]);
        apply.ExitCode.Should().Be(0, apply.Stdout + apply.Stderr);
        apply.Stdout.Should().Contain("Apply complete").And.Contain("0 failed");

        var jitLog = Path.Combine(_directory, "plan-jit.txt");
        var plan = await RunAsync(JitSummaryTo(jitLog), ["plan", "-f", example, "--detailed-exitcode", .. connection]);

        plan.ExitCode.Should().Be(0, "the platform matches after apply; output:\n{0}{1}", plan.Stdout, plan.Stderr);
        plan.Stdout.Should().Contain("No changes.");
        var compiled = await File.ReadAllLinesAsync(jitLog);
        compiled.Where(Emitted).Should().BeEmpty(
            "with --platform-url no embedded platform runs in the process, so it runs without Reflection.Emit");
        compiled.Where(line => line.Contains("JIT compiled Reconciler.Platform.", StringComparison.Ordinal)
            && !line.Contains("JIT compiled Reconciler.Platform.Client.", StringComparison.Ordinal)
            && !line.Contains("JIT compiled Reconciler.Platform.Contract.", StringComparison.Ordinal)).Should().BeEmpty(
            "a plan against a URL runs none of the embedded platform's code");
        compiled.Where(line => line.Contains("GitRevision", StringComparison.Ordinal)).Should().BeEmpty("a plan changes nothing, so it asks git for no commit");
        compiled.Where(line => line.Contains("JIT compiled Polly.", StringComparison.Ordinal)).Should().BeEmpty("no request needed a retry, so the retry pipeline was never built");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// A method of emitted code in the runtime's JIT summary. The runtime's own stub for a platform call (the CLI writes its
    /// output with write(2): Plumbing/StandardStream) is listed as dynamic too, but it is the call's transition, not Reflection.Emit.
    /// </summary>
    private static bool Emitted(string line) =>
        line.Contains("(dynamicClass)", StringComparison.Ordinal) && !line.Contains("(dynamicClass):IL_STUB_PInvoke(", StringComparison.Ordinal);

    /// <summary>
    /// The runtime's JIT summary written to a file. Tiered compilation is off because the runtime closes that file at exit
    /// while a background tier-up may still write to it: under load that crashed 5 of 80 runs (SIGSEGV, SIGABRT "free():
    /// invalid pointer") and 0 of 80 with it off. Emitted methods are never tiered, so they are listed either way.
    /// </summary>
    private static Dictionary<string, string> JitSummaryTo(string file) => new()
    {
        ["DOTNET_JitDisasmSummary"] = "1",
        ["DOTNET_JitStdOutFile"] = file,
        ["DOTNET_TieredCompilation"] = "0",
    };

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(CliProcess.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        info.ArgumentList.Add(CliProcess.Dll);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            info.Environment[name] = value;

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> InvokeAsync(System.CommandLine.RootCommand root, string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = await root.Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private async Task<string> InProcessAsync(params string[] arguments)
    {
        var environment = new CliEnvironment(_ => null, _directory, IsInteractive: false, _ => { });
        var output = new StringWriter();
        await Program.CreateRoot(environment).Parse(arguments).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() });
        return output.ToString();
    }
}
