using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Reconciler.Operator.Tests;

/// <summary>The repository's release files (Dockerfile, CLI project, chart, release workflow) as the tests read them.</summary>
internal static partial class ReleaseArtifacts
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(RepositoryRoot, relativePath));

    /// <summary>The arguments of the Dockerfile's <c>dotnet publish</c> and the directory it publishes to.</summary>
    public static (string Arguments, string OutputDirectory) DockerfilePublish()
    {
        var match = PublishCommand().Match(Read("Dockerfile"));
        match.Success.Should().BeTrue("the Dockerfile's build stage runs `dotnet publish ... -o <dir>`");
        return (match.Groups["args"].Value, match.Groups["out"].Value);
    }

    /// <summary>Runs the Dockerfile's publish command into <paramref name="outputDirectory"/>; returns it.</summary>
    public static async Task<string> PublishAsTheDockerfileDoesAsync(string outputDirectory, ITestOutputHelper log)
    {
        var (arguments, _) = DockerfilePublish();
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("publish");
        foreach (var argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            info.ArgumentList.Add(argument);

        // Its own bin/obj, so the publish never races the solution's build outputs.
        foreach (var argument in (string[])["-o", outputDirectory, "--artifacts-path", Path.Combine(outputDirectory, "..", "artifacts"), "-nologo"])
            info.ArgumentList.Add(argument);

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        log.WriteLine($"dotnet publish {arguments} took {watch.Elapsed.TotalSeconds:0}s");
        process.ExitCode.Should().Be(0, "dotnet publish failed:\n{0}\n{1}", await stdout, await stderr);
        return outputDirectory;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Reconciler.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Reconciler.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^RUN dotnet publish (?<args>.+?) -o (?<out>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PublishCommand();
}
