namespace Reconciler.Cli.Tests.Plumbing;

/// <summary>
/// The native build leaves out the commands whose libraries need run-time reflection; asked for one, it says what to run
/// instead and fails, while the JIT build (the tool package, the image) still has them. Run as the native build when
/// given one, else as the JIT build with the native build's switch.
/// </summary>
public sealed class NativeBuildTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-native-build-").FullName;

    [Theory]
    [InlineData("operator", "run the container image (ghcr.io/reconciler/reconciler, the Helm chart's default) or the .NET tool package", "--namespace", "support")]
    [InlineData("crds", "the CRDs of this version are in the Helm chart (charts/reconciler/crds) and the source's crds/, or run the .NET tool package", "--output-dir", "crds")]
    [InlineData("schema", "the schemas of this version are in the source's schemas/, or run the .NET tool package", "--output-dir", "schemas")]
    public async Task A_command_left_out_says_what_to_run_instead_and_writes_nothing(string command, string instead, params string[] options)
    {
        var build = CliLaunch.Native ?? CliLaunch.JitWith(_directory, new Dictionary<string, bool> { ["Reconciler.Cli.ReflectionCommands.IsSupported"] = false });
        var before = Directory.GetFileSystemEntries(_directory);

        var (exitCode, output) = await RunAsync(build, [command, .. options]);

        exitCode.Should().Be(1, output);
        output.Trim().Should().Be($"error: this native build of reconciler does not include '{command}'; {instead}.");
        Directory.GetFileSystemEntries(_directory).Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData("operator", "run the container image")]
    [InlineData("crds", "the CRDs of this version are in the Helm chart")]
    [InlineData("schema", "the schemas of this version are in the source's schemas/")]
    public async Task A_command_left_out_says_so_in_its_help(string command, string instead)
    {
        var build = CliLaunch.Native ?? CliLaunch.JitWith(_directory, new Dictionary<string, bool> { ["Reconciler.Cli.ReflectionCommands.IsSupported"] = false });

        var (exitCode, output) = await RunAsync(build, [command, "--help"]);

        exitCode.Should().Be(0, output);
        output.Should().Contain("Not in this native build: " + instead);
    }

    [Theory]
    [InlineData("operator", "--leader-election")]
    [InlineData("crds", "--output-dir")]
    [InlineData("schema", "--output-dir")]
    public async Task The_jit_build_has_them(string command, string option)
    {
        var (exitCode, output) = await RunAsync(CliLaunch.Jit(), [command, "--help"]);

        exitCode.Should().Be(0, output);
        output.Should().Contain(option);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(int ExitCode, string Output)> RunAsync(CliLaunch launch, string[] arguments)
    {
        using var cli = CliProcess.Start(_directory, launch, arguments);
        using var cancel = new CancellationTokenSource(Timeout);
        await cli.Process.WaitForExitAsync(cancel.Token);
        cli.Process.WaitForExit(); // flushes the redirected output
        return (cli.Process.ExitCode, cli.Output);
    }
}
