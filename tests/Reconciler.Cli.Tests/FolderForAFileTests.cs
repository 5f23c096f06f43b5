namespace Reconciler.Cli.Tests;

/// <summary>
/// A folder named where a command reads a file (a tab-completed directory, a mounted Secret's folder instead of its key)
/// is said to be a folder, not reported as missing or as a permission the user then goes looking for.
/// </summary>
public sealed class FolderForAFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-folder-for-file-").FullName;

    public FolderForAFileTests() => Directory.CreateDirectory(Path.Combine(_directory, "given"));

    // {dir} is the folder given for the file; each expected text is one whole line of standard error.
    [Theory]
    [InlineData("import|-f|{dir}|--output-dir|{ex}", "error: {dir}: it is a folder; give the .xlsx or .csv file")]
    [InlineData("apply|{dir}", "error: cannot read the saved plan {dir}: it is a folder, not a file")]
    [InlineData("plan|-f|{ex}|--platform-url|http://127.0.0.1:1|--token-file|{dir}", "error: cannot read the token file {dir}: it is a folder, not a file")]
    [InlineData("platform|serve|--config|{dir}", "error: cannot read the config file {dir}: it is a folder, not a file")]
    [InlineData("platform|serve|--token|name=scim,file={dir}", "error: token 'scim': cannot read {dir}: it is a folder, not a file")]
    public async Task A_folder_given_for_a_file_is_said_to_be_a_folder(string arguments, string expected)
    {
        var folder = Path.Combine(_directory, "given");

        var (exitCode, _, error) = await InProcessCli.RunAsync(arguments.Replace("{dir}", folder, StringComparison.Ordinal).Replace("{ex}", TestRepository.Example, StringComparison.Ordinal).Split('|'));

        exitCode.Should().Be(1);
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Contain(expected.Replace("{dir}", folder, StringComparison.Ordinal), "standard error was:\n{0}", error);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
