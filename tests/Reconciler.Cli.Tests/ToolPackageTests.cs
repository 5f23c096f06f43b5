using System.Diagnostics;

namespace Reconciler.Cli.Tests;

/// <summary><c>dotnet pack</c> gives the <c>reconciler</c> .NET tool; installed from the package it runs as <c>reconciler</c>.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-tool-test-").FullName;

    [Fact]
    public async Task The_packed_tool_installs_with_dotnet_tool_install_and_validates_the_example()
    {
        var root = TestRepository.Root;
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var nupkg = Path.Combine(_directory, "nupkg");
        var tools = Path.Combine(_directory, "tools");

        // Only the local package source: the test must not depend on a package registry.
        var config = Path.Combine(_directory, "nuget.config");
        await File.WriteAllTextAsync(config, "<configuration><packageSources><clear /></packageSources></configuration>");
        var pack = await RunAsync(CliProcess.DotnetHost, ["pack", Path.Combine(root, "src", "Reconciler.Cli"), "-c", configuration, "--no-build", "-o", nupkg], root);
        pack.ExitCode.Should().Be(0, pack.Output);
        Directory.GetFiles(nupkg, "reconciler.*.nupkg").Should().ContainSingle();

        var install = await RunAsync(CliProcess.DotnetHost, ["tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", nupkg, "reconciler"], _directory);
        install.ExitCode.Should().Be(0, install.Output);
        install.Output.Should().Contain("Tool 'reconciler' (version '0.1.0') was successfully installed.");

        var validate = await RunAsync(Path.Combine(tools, OperatingSystem.IsWindows() ? "reconciler.exe" : "reconciler"), ["validate", "-f", Path.Combine(root, "examples", "acme-support")], _directory);
        validate.ExitCode.Should().Be(0, validate.Output);
        validate.Output.Should().Contain("Valid: ").And.Contain(" resources.");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A slow machine may still hold a file of the installed tool; the temp folder is cleaned by the OS.
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
