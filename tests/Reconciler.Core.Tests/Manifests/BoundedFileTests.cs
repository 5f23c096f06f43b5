using Reconciler.Core.Manifests;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>Whole files up to a limit, whatever length the file system reports for them.</summary>
public sealed class BoundedFileTests : IDisposable
{
    private readonly string _file = Path.Combine(Directory.CreateTempSubdirectory("reconciler-bounded-").FullName, "f");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_file)!, recursive: true);

    [Theory]
    [InlineData(0, 10, true)]
    [InlineData(9, 10, true)]
    [InlineData(10, 10, true)]
    [InlineData(11, 10, false)]
    [InlineData(200_000, 200_000, true)]
    [InlineData(200_001, 200_000, false)]
    public void A_regular_file_is_read_whole_up_to_the_limit(int size, long limit, bool read)
    {
        var bytes = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(_file, bytes);

        var result = BoundedFile.ReadAllBytes(_file, limit);

        if (read)
            result.Should().Equal(bytes);
        else
            result.Should().BeNull();
    }

    [Fact]
    public void A_folder_is_said_to_be_one()
    {
        var folder = Path.GetDirectoryName(_file)!;

        FluentActions.Invoking(() => BoundedFile.ReadAllBytes(folder, 1024)).Should().Throw<IOException>().WithMessage("it is a folder, not a file");
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/urandom")]
    public void A_device_without_end_stops_past_the_limit(string device)
    {
        BoundedFile.ReadAllBytes(device, 1024 * 1024).Should().BeNull();
    }

    [Fact]
    public void A_file_that_reports_no_length_is_still_read_whole()
    {
        var status = BoundedFile.ReadAllText("/proc/self/status", 1024 * 1024);

        status.Should().Contain("Name:").And.Contain("VmRSS");
    }

    [Fact]
    public void Text_is_decoded_as_File_ReadAllText_decodes_it()
    {
        File.WriteAllBytes(_file, [0xFF, 0xFE, (byte)'h', 0, (byte)'i', 0]);

        BoundedFile.ReadAllText(_file, 100).Should().Be(File.ReadAllText(_file)).And.Be("hi");
    }
}
