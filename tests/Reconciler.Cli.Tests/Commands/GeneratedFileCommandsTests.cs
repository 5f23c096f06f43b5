using Reconciler.Cli.Tests.Plumbing;

namespace Reconciler.Cli.Tests.Commands;

/// <summary>
/// <c>schema</c> and <c>crds</c> write their files as the other outputs do (<c>Plumbing/FileSet</c>): each new file is
/// made whole beside its target and renamed over it, never written into the old one, so an interrupted run leaves each
/// file as it was or complete.
/// </summary>
public sealed class GeneratedFileCommandsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-generated-files-").FullName;

    [Theory]
    [InlineData("schema", "support.reconciler.dev/agent_v1alpha1.json")]
    [InlineData("crds", "support.reconciler.dev_agents.yaml")]
    public async Task An_existing_file_is_replaced_by_a_whole_new_one_not_written_into(string command, string file)
    {
        if (OperatingSystem.IsWindows())
            return; // ln(1).
        var output = Path.Combine(_directory, command);
        var target = Path.Combine(output, file);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await File.WriteAllTextAsync(target, "old\n");

        // A second name for the old file's content: written into, it would change too; replaced, it keeps the old text.
        var twin = Path.Combine(_directory, command + ".twin");
        FileNodes.HardLink(target, twin);

        var (exitCode, _, error) = await InProcessCli.RunAsync(command, "--output-dir", output);

        exitCode.Should().Be(0, error);
        (await File.ReadAllTextAsync(twin)).Should().Be("old\n", "the old file was replaced, not truncated and rewritten");
        (await File.ReadAllTextAsync(target)).Should().NotBe("old\n").And.EndWith("\n");
        Directory.EnumerateFileSystemEntries(output, "*", SearchOption.AllDirectories).Should().OnlyContain(
            p => Directory.Exists(p) || p.EndsWith(".json", StringComparison.Ordinal) || p.EndsWith(".yaml", StringComparison.Ordinal), "nothing but the files is left");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
