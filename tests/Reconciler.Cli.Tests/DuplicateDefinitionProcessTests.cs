namespace Reconciler.Cli.Tests;

/// <summary>
/// A resource defined twice is reported at its second definition and names the first: both files named alike, relative
/// to the working directory, whether -f named the folder relative or absolute (plan and apply resolve every -f).
/// </summary>
public sealed class DuplicateDefinitionProcessTests : IDisposable
{
    private const string Role = "apiVersion: support.reconciler.dev/v1alpha1\nkind: Role\nmetadata:\n  name: r\nspec:\n  displayName: R\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-duplicate-").FullName;

    public DuplicateDefinitionProcessTests()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "org"));
        File.WriteAllText(Path.Combine(_directory, "org", "a.yaml"), Role);
        File.WriteAllText(Path.Combine(_directory, "org", "b.yaml"), Role);
    }

    [Theory]
    [InlineData("validate -f org")]
    [InlineData("validate -f {dir}/org")]
    [InlineData("plan -f org --platform-url http://127.0.0.1:1")]
    [InlineData("plan -f {dir}/org --platform-url http://127.0.0.1:1")]
    public async Task The_first_definition_is_named_relative_to_the_working_directory_as_the_second_is(string arguments)
    {
        var (exitCode, output) = await CliProcess.RunAsync(_directory, TimeSpan.FromSeconds(60), arguments.Replace("{dir}", _directory, StringComparison.Ordinal).Split(' '));

        exitCode.Should().Be(1, output);
        output.Split('\n').Should().Contain("org/b.yaml:4:9: metadata.name: Role/r is defined twice: here and at org/a.yaml:4:9", output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
