using System.Text;
using Reconciler.Cli.Tests.Plumbing;

namespace Reconciler.Cli.Tests;

/// <summary>
/// <c>template FILE</c> and <c>report --output-file FILE</c>, run from bash as a user runs them, write where FILE leads
/// as shell redirection would: into a pipe or a device, through a symbolic link, and never into a folder they make.
/// </summary>
public sealed class OutputFileProcessTests : IDisposable
{
    private const string Template = "template {file} -f org";
    private const string Report = "report agents -o csv --output-file {file}";
    private const string Header = "\uFEFFName,Display name,Email,";

    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-output-").FullName;

    public OutputFileProcessTests() => TestRepository.CopyExample(Path.Combine(_directory, "org"));

    [Theory]
    [InlineData(Template, "PK\u0003\u0004")] // /dev/fd/63 has no .csv extension: a workbook
    [InlineData(Report, Header)]
    public async Task A_process_substitution_gets_the_whole_file(string command, string start)
    {
        var (exitCode, error) = await RunAsync("", command, ">(cat > got)");

        exitCode.Should().Be(0, error);
        Read("got").Should().StartWith(start);
    }

    [Fact]
    public async Task Standard_output_redirected_to_a_file_is_written_where_it_stands_as_the_shell_writes_it()
    {
        var (exitCode, error) = await RunAsync("exec > out.csv; echo before", Report, "/dev/stdout; echo after");

        exitCode.Should().Be(0, error);
        Read("out.csv").Should().StartWith("before\n" + Header).And.EndWith("after\n");
    }

    [Theory]
    [InlineData(Template)]
    [InlineData(Report)]
    public async Task A_named_pipe_is_written_into_and_stays_a_pipe(string command)
    {
        var (exitCode, error) = await RunAsync("mkfifo out.csv; timeout 60 cat out.csv > got.csv &", command, "out.csv");

        exitCode.Should().Be(0, error);
        Read("got.csv").Should().StartWith(Header);
        FileNodes.TypeOf(Path.Combine(_directory, "out.csv")).Should().Be("fifo");
    }

    [Theory]
    [InlineData(Template)]
    [InlineData(Report)]
    public async Task A_symbolic_link_stays_a_link_and_the_file_it_names_is_replaced(string command)
    {
        var (exitCode, error) = await RunAsync("mkdir reports; echo old > reports/agents.csv; ln -s reports/agents.csv out.csv", command, "out.csv");

        exitCode.Should().Be(0, error);
        FileNodes.TypeOf(Path.Combine(_directory, "out.csv")).Should().Be("symbolic link");
        Read("reports/agents.csv").Should().StartWith(Header);
    }

    [Theory]
    [InlineData(Template)]
    [InlineData(Report)]
    public async Task A_missing_folder_is_one_line_of_error_and_is_not_made(string command)
    {
        var (exitCode, error) = await RunAsync("", command, "missing/out.csv");

        exitCode.Should().Be(1, error);
        ErrorLines(error).Should().Equal($"error: cannot write {_directory}/missing/out.csv: the folder {_directory}/missing does not exist");
        Directory.Exists(Path.Combine(_directory, "missing")).Should().BeFalse();
    }

    [DeviceNodeFact]
    public async Task A_device_that_refuses_the_write_is_one_line_of_error_and_stays_a_device()
    {
        FileNodes.Full(Path.Combine(_directory, "out.csv"));

        var (exitCode, error) = await RunAsync("", Template, "out.csv");

        exitCode.Should().Be(1, error);
        ErrorLines(error).Should().Equal($"error: cannot write {_directory}/out.csv: No space left on device");
        FileNodes.TypeOf(Path.Combine(_directory, "out.csv")).Should().Be("character special file");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Standard error but the embedded platform's notice, which a report without --platform-url prints first.</summary>
    private static IEnumerable<string> ErrorLines(string error) =>
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("Using the embedded reference platform", StringComparison.Ordinal));

    /// <summary>The file's text, a byte order mark kept.</summary>
    private string Read(string name) => Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(_directory, name)));

    /// <summary>
    /// Runs <paramref name="setup"/>, then the CLI with <paramref name="target"/> (shell syntax, unquoted) for {file}, in
    /// bash; returns when what it started in the background has finished too (it holds bash's output open until then).
    /// </summary>
    private async Task<(int ExitCode, string Error)> RunAsync(string setup, string command, string target)
    {
        var info = CliLaunch.UnderTest.StartInfo(command.Split(' '));
        var line = string.Join(' ', info.ArgumentList.Prepend(info.FileName).Select(w => w == "{file}" ? target : Shell.Quote(w)));
        info.FileName = "bash";
        info.ArgumentList.Clear();
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"{setup}\n{line}");
        info.WorkingDirectory = _directory;

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await ProcessTimeout.WaitForExitAsync(process);
        await output.WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await error.WaitAsync(TimeSpan.FromMinutes(2)));
    }
}
