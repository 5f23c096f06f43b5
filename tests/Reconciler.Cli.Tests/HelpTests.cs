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

    [Fact]
    public async Task Version_prints_a_version()
    {
        var (exitCode, output, _) = await InProcessCli.RunAsync("--version");

        exitCode.Should().Be(0);
        output.Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }
}
