namespace Reconciler.Cli.Tests.Commands;

/// <summary>
/// The native build leaves the operator out (its Kubernetes client needs the reflection serializer); asked for it, that
/// build says where the operator runs instead, and the JIT build, which the image ships, still runs it.
/// </summary>
public sealed class OperatorCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-operator-command-").FullName;

    [Fact]
    public async Task A_build_without_the_operator_says_where_it_runs_and_fails()
    {
        var build = CliLaunch.Native ?? CliLaunch.JitWith(_directory, new Dictionary<string, bool> { ["Reconciler.Cli.Operator.IsSupported"] = false });

        var (exitCode, output) = await RunAsync(build, "operator", "--namespace", "support");

        exitCode.Should().Be(1, output);
        output.Trim().Should().Be("error: this native build of reconciler does not include the operator; run the container image "
            + "(ghcr.io/reconciler/reconciler, the Helm chart's default) or the .NET tool package.");
    }

    [Fact]
    public async Task The_jit_build_has_the_operator()
    {
        var (exitCode, output) = await RunAsync(CliLaunch.Jit(), "operator", "--help");

        exitCode.Should().Be(0, output);
        output.Should().Contain("--leader-election");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(int ExitCode, string Output)> RunAsync(CliLaunch launch, params string[] arguments)
    {
        using var cli = CliProcess.Start(_directory, launch, arguments);
        using var cancel = new CancellationTokenSource(Timeout);
        await cli.Process.WaitForExitAsync(cancel.Token);
        cli.Process.WaitForExit(); // flushes the redirected output
        return (cli.Process.ExitCode, cli.Output);
    }
}
