using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Reconciler.Cli.Tests;

/// <summary>
/// The CLI writes its standard output itself, through a buffer of its own (<c>Program.UseStandardStreams</c>,
/// <c>Plumbing/StandardStream</c>): a script reading the pipe must get exactly the text, however many buffers it spans,
/// as UTF-8 without a byte-order mark.
/// </summary>
public sealed class StandardOutputProcessTests : IDisposable
{
    private const int Agents = 1500;
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-stdout-").FullName;

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task A_report_of_many_buffers_reaches_a_pipe_whole_as_UTF_8_without_a_byte_order_mark(string format)
    {
        await WriteAgentsWithTwoErrorsEachAsync();

        using var process = Process.Start(CliLaunch.UnderTest.StartInfo(["validate", "-f", _directory, "-o", format]))!;
        var error = process.StandardError.ReadToEndAsync();
        using var bytes = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(bytes);
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(1, await error);
        var output = bytes.ToArray();
        output.Length.Should().BeGreaterThan(3 * 64 * 1024);
        output.AsSpan(0, 3).SequenceEqual(Encoding.UTF8.Preamble).Should().BeFalse("standard output carries no byte-order mark");
        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(output);
        text.Should().Contain("Chät", "the non-ASCII value is written as UTF-8");
        var diagnostics = format == "json"
            ? JsonDocument.Parse(output).RootElement.GetProperty("diagnostics").GetArrayLength()
            : text.Split('\n').Count(line => line.Contains(": spec.", StringComparison.Ordinal));
        diagnostics.Should().Be(2 * Agents, "every diagnostic arrives, across every buffer");
    }

    // A descriptor is non-blocking for every process sharing it once one of them says so (node does, for its children's
    // pipes); a write to a full one then fails with EAGAIN, and the rest of the report must wait rather than be lost.
    [Fact]
    public async Task A_non_blocking_pipe_that_fills_up_still_gets_every_byte()
    {
        await WriteAgentsWithTwoErrorsEachAsync();
        var cli = CliLaunch.UnderTest.StartInfo(["validate", "-f", _directory]);
        var info = new ProcessStartInfo("perl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The pipe shrunk to one page (F_SETPIPE_SZ, 1031 on Linux), so the report fills it however late the CLI starts writing.
        const string NonBlocking = "fcntl(STDOUT, 1031, 4096) or die $!; fcntl(STDOUT, F_SETFL, fcntl(STDOUT, F_GETFL, 0) | O_NONBLOCK) or die $!; exec @ARGV or die $!";
        foreach (var argument in (IEnumerable<string>)["-MFcntl", "-e", NonBlocking, cli.FileName, .. cli.ArgumentList])
            info.ArgumentList.Add(argument);

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var output = process.StandardOutput.ReadToEndAsync();
        await ProcessTimeout.WaitForExitAsync(process);
        var text = await output;

        (await error).Should().BeEmpty();
        process.ExitCode.Should().Be(1, "the manifests are invalid, and that is the only failure");
        text.Split('\n').Count(line => line.Contains(": spec.", StringComparison.Ordinal)).Should().Be(2 * Agents);
    }

    // A full disk under both outputs: the report cannot be written, nor the error saying so; the exit code still tells
    // (the runtime aborted with 134 when reporting the first failure failed again).
    [Fact]
    public async Task With_nowhere_to_write_it_still_exits_1()
    {
        var cli = CliLaunch.UnderTest.StartInfo(["validate", "-f", TestRepository.Example]);
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (IEnumerable<string>)["-c", "exec \"$@\" > /dev/full 2> /dev/full", "sh", cli.FileName, .. cli.ArgumentList])
            info.ArgumentList.Add(argument);

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        await ProcessTimeout.WaitForExitAsync(process);

        process.ExitCode.Should().Be(1, await error);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// Two errors per agent, one quoting a non-ASCII value: a report of several times the 64 KiB buffer (and a pipe's),
    /// spread over files that each stay under the problems validate lists for one file.
    /// </summary>
    private async Task WriteAgentsWithTwoErrorsEachAsync()
    {
        const int PerFile = 250;
        for (var file = 0; file * PerFile < Agents; file++)
        {
            var yaml = new StringBuilder();
            for (var i = file * PerFile; i < Math.Min(Agents, (file + 1) * PerFile); i++)
                yaml.Append($"apiVersion: support.reconciler.dev/v1alpha1\nkind: Agent\nmetadata: {{name: agent-{i}}}\nspec:\n  email: agent{i}@acme.example\n  displayName: Agent {i}\n  roleRef: {{name: agent}}\n  languages: [en]\n  maxConcurrentChats: -1\n  capabilities: [Chät]\n---\n");
            await File.WriteAllTextAsync(Path.Combine(_directory, $"agents-{file}.yaml"), yaml.ToString());
        }
    }
}
