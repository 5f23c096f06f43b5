using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Reconciler.Cli.Tests;

/// <summary>
/// The CLI writes its standard output through its own buffer (<c>Program.BufferStandardOutput</c>): a script reading the
/// pipe must get exactly the text, however many buffers it spans, as UTF-8 without a byte-order mark.
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
        // Two errors per agent, one quoting a non-ASCII value: a report of several times the 64 KiB buffer.
        var yaml = new StringBuilder();
        for (var i = 0; i < Agents; i++)
            yaml.Append($"apiVersion: support.reconciler.dev/v1alpha1\nkind: Agent\nmetadata: {{name: agent-{i}}}\nspec:\n  email: agent{i}@acme.example\n  displayName: Agent {i}\n  roleRef: {{name: agent}}\n  languages: [en]\n  maxConcurrentChats: -1\n  capabilities: [Chät]\n---\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "agents.yaml"), yaml.ToString());

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

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
