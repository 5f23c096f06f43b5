using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Reconciler.Operator.Tests;

/// <summary>
/// The image the release workflow publishes, the one the SDK container settings describe and the Helm chart's default
/// are the same, and its tag is the version the CLI reports.
/// </summary>
public sealed partial class ReleaseArtifactsTests
{
    private const string Image = "ghcr.io/reconciler/reconciler";

    [Fact]
    public async Task The_chart_appVersion_is_the_cli_version_and_the_image_tag()
    {
        var version = Property(ReleaseArtifacts.Read("src/Reconciler.Cli/Reconciler.Cli.csproj"), "Version");

        (await CliVersionAsync()).Should().Be(version, "`reconciler --version` prints the release version");
        Yaml(ReleaseArtifacts.Read("charts/reconciler/Chart.yaml"), "appVersion").Should().Be(version);
        Property(ReleaseArtifacts.Read("src/Reconciler.Cli/Reconciler.Cli.csproj"), "ContainerImageTag").Should().Be("$(Version)");
        ReleaseArtifacts.Read(".github/workflows/release.yml").Should().Contain("tags: ${{ env.IMAGE }}:${{ steps.version.outputs.version }}")
            .And.Contain("version=\"${GITHUB_REF_NAME#v}\"", "the pushed tag is the release tag without its v");
    }

    [Fact]
    public void The_chart_default_image_is_what_the_workflow_and_the_sdk_container_settings_publish()
    {
        var values = ReleaseArtifacts.Read("charts/reconciler/values.yaml");
        var imageBlock = ImageBlock().Match(values);
        imageBlock.Success.Should().BeTrue();
        Yaml(imageBlock.Value, "repository").Should().Be(Image);
        Yaml(imageBlock.Value, "tag").Should().BeEmpty("an empty tag means the chart's appVersion");
        ReleaseArtifacts.Read("charts/reconciler/templates/_helpers.tpl").Should().Contain("(default .Chart.AppVersion .Values.image.tag)");

        var csproj = ReleaseArtifacts.Read("src/Reconciler.Cli/Reconciler.Cli.csproj");
        $"{Property(csproj, "ContainerRegistry")}/{Property(csproj, "ContainerRepository")}".Should().Be(Image);
        Property(csproj, "ContainerBaseImage").Should().Be("mcr.microsoft.com/dotnet/aspnet:10.0");
        ReleaseArtifacts.Read(".github/workflows/release.yml").Should().Contain($"IMAGE: {Image}").And.Contain("file: Dockerfile").And.Contain("push: true");
    }

    [Fact]
    public void The_dockerfile_runs_the_self_contained_linux_x64_publish_as_non_root_on_the_aspnet_runtime_image()
    {
        var dockerfile = ReleaseArtifacts.Read("Dockerfile");
        var (arguments, output) = ReleaseArtifacts.DockerfilePublish();

        arguments.Should().Contain("src/Reconciler.Cli/Reconciler.Cli.csproj").And.Contain("-r linux-x64").And.Contain("--self-contained true").And.Contain("-c Release");
        var stages = dockerfile.Split("\nFROM ")[1..];
        stages.Should().HaveCount(2, "a build stage and a runtime stage");
        stages[0].Should().StartWith("mcr.microsoft.com/dotnet/sdk:10.0 AS build");
        var runtime = stages[1];
        runtime.Should().StartWith("mcr.microsoft.com/dotnet/aspnet:10.0");
        runtime.Split('\n').Where(l => l.StartsWith("COPY", StringComparison.Ordinal))
            .Should().Equal([$"COPY --from=build {output}/ /app/"], "the runtime stage holds exactly the publish output");
        runtime.Should().Contain("USER $APP_UID").And.Contain("ENTRYPOINT [\"/app/reconciler\"]");
        ReleaseArtifacts.Read("charts/reconciler/templates/deployment.yaml").Should().Contain("- operator", "the chart passes the command the entrypoint needs");
    }

    private static async Task<string> CliVersionAsync()
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "reconciler.dll"));
        info.ArgumentList.Add("--version");
        using var process = Process.Start(info)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text.Trim();
    }

    private static string Property(string csproj, string name) =>
        Regex.Match(csproj, $"<{name}>([^<]*)</{name}>") is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"no <{name}>");

    private static string Yaml(string yaml, string key) =>
        Regex.Match(yaml, $@"^\s*{key}:\s*""?([^""\n#]*?)""?\s*(#.*)?$", RegexOptions.Multiline) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"no {key}:");

    [GeneratedRegex(@"^image:\n(  .*\n)+", RegexOptions.Multiline)]
    private static partial Regex ImageBlock();
}
