namespace Reconciler.Cli.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("validate", "reconciler validate -f examples/acme-support")]
    [InlineData("plan", "--detailed-exitcode")]
    [InlineData("apply", "[default: 8]")]
    [InlineData("export", "reconciler export --output-dir exported/")]
    public async Task Help_shows_examples_and_defaults(string command, string expected)
    {
        var (exitCode, output, _) = await InProcessCli.RunAsync(command, "--help");

        exitCode.Should().Be(0);
        output.Should().Contain("Examples:").And.Contain(expected);
    }

    [Theory]
    [InlineData("plan", true)]
    [InlineData("export", true)]
    [InlineData("report", true)]
    [InlineData("template", false)]
    public async Task Only_a_command_given_manifests_for_its_connection_offers_the_PlatformConnection_as_a_default(string command, bool offered)
    {
        // template's -f gives its lists instead of the platform, so no PlatformConnection ever gives its token or rate.
        var (_, output, _) = await InProcessCli.RunAsync(command, "--help");

        output.Contains("PlatformConnection's tokenSecretRef", StringComparison.Ordinal).Should().Be(offered);
        output.Contains("default: the PlatformConnection's", StringComparison.Ordinal).Should().Be(offered);
    }

    [Fact]
    public async Task Version_prints_a_version()
    {
        var (exitCode, output, _) = await InProcessCli.RunAsync("--version");

        exitCode.Should().Be(0);
        output.Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }
}
