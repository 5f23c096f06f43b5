using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests.Plumbing;

/// <summary>A write that fails half way leaves the old file as it was and no temporary file beside it.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("reconciler-atomic-");

    [Fact]
    public void A_write_that_fails_half_way_keeps_the_old_file_and_leaves_nothing_beside_it()
    {
        var path = Path.Combine(_folder.FullName, "agents.yaml");
        File.WriteAllText(path, "old");

        var write = () => AtomicFile.Write(path, stream =>
        {
            stream.Write("new, half"u8);
            throw new IOException("disk full");
        });

        write.Should().Throw<IOException>();
        File.ReadAllText(path).Should().Be("old");
        _folder.GetFiles().Select(f => f.Name).Should().Equal("agents.yaml");
    }

    [Fact]
    public void A_complete_write_replaces_the_file_and_creates_its_folder()
    {
        var path = Path.Combine(_folder.FullName, "new", "agents.yaml");

        AtomicFile.WriteAllText(path, "apiVersion: v1\n");

        File.ReadAllBytes(path).Should().Equal("apiVersion: v1\n"u8.ToArray(), "UTF-8 without a byte-order mark");
        Directory.GetFiles(Path.GetDirectoryName(path)!).Should().ContainSingle();
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
