using System.CommandLine;
using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests.Commands;

public sealed class OptionValuesTests
{
    private static readonly string Example = Path.Combine(TestRepository.Root, "examples", "acme-support");

    // A flag after -f's values (a typo, or one the command does not have) is an unknown flag, as kubectl says, not a file.
    [Theory]
    [InlineData("validate", "--secrets-dir")]
    [InlineData("validate", "--bogus")]
    [InlineData("plan", "--auto-aprove")]
    [InlineData("apply", "--prnue")]
    [InlineData("plan", "-x")]
    [InlineData("template", "--bogus")]
    public async Task A_flag_after_the_files_is_an_unknown_flag_not_a_missing_file(string command, string flag)
    {
        string[] args = command == "template"
            ? [command, Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.xlsx"), "-f", Example, flag]
            : [command, "-f", Example, flag];

        var (exitCode, _, error) = await RunAsync(args);

        exitCode.Should().Be(1);
        error.Should().Contain($"Unrecognized command or argument '{flag}'").And.Contain($"./{flag}")
            .And.NotContain("no such file");
    }

    [Fact]
    public async Task A_file_whose_name_starts_with_a_dash_is_read_when_written_with_its_folder()
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            File.Copy(Path.Combine(TestRepository.Root, "examples", "acme-support", "roles.yaml"), Path.Combine(folder.FullName, "-roles.yaml"));

            var (exitCode, output) = await CliProcess.RunAsync(folder.FullName, TimeSpan.FromSeconds(60), "validate", "-f", "./-roles.yaml");

            output.Should().Contain("Valid").And.NotContain("Unrecognized");
            exitCode.Should().Be(0);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var environment = new CliEnvironment(_ => null, Directory.GetCurrentDirectory(), IsInteractive: false, _ => { });
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = await Program.InvokeAsync(Program.CreateRoot(environment).Parse(args), new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
