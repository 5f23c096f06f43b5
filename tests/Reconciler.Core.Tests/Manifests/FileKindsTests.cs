using System.Net.Sockets;
using Reconciler.Core.Manifests;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>What a path names, told without opening it.</summary>
public sealed class FileKindsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("reconciler-file-kinds-").FullName;
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public FileKindsTests()
    {
        File.WriteAllText(Path.Combine(_root, "file"), "x");
        Directory.CreateDirectory(Path.Combine(_root, "folder"));
        NamedPipes.Create(Path.Combine(_root, "pipe"));
        _socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(_root, "socket")));
        File.CreateSymbolicLink(Path.Combine(_root, "link-to-pipe"), "pipe");
        File.CreateSymbolicLink(Path.Combine(_root, "dangling"), "nowhere");
    }

    [Theory]
    [InlineData("file", true, FileKind.Regular)]
    [InlineData("folder", true, FileKind.Directory)]
    [InlineData("pipe", true, FileKind.NamedPipe)]
    [InlineData("socket", true, FileKind.Socket)]
    [InlineData("/dev/null", true, FileKind.CharacterDevice)]
    [InlineData("link-to-pipe", true, FileKind.NamedPipe)]
    [InlineData("link-to-pipe", false, FileKind.SymbolicLink)]
    [InlineData("dangling", true, FileKind.None)]
    [InlineData("dangling", false, FileKind.SymbolicLink)]
    [InlineData("missing", true, FileKind.None)]
    [InlineData("file/below-a-file", true, FileKind.None)]
    public void A_path_is_told_by_what_it_names_without_opening_it(string path, bool followLinks, FileKind expected)
    {
        FileKinds.Of(Path.Combine(_root, path), followLinks).Should().Be(expected);
    }

    [Theory]
    [InlineData("file", true, FileKind.Regular)]
    [InlineData("folder", true, FileKind.Directory)]
    [InlineData("link-to-pipe", false, FileKind.SymbolicLink)]
    [InlineData("dangling", true, FileKind.None)]
    [InlineData("dangling", false, FileKind.SymbolicLink)]
    [InlineData("missing", true, FileKind.None)]
    [InlineData("file/below-a-file", true, FileKind.None)]
    public void Where_statx_cannot_be_asked_every_file_and_folder_is_still_found(string path, bool followLinks, FileKind expected)
    {
        FileKinds.Portable(Path.Combine(_root, path), followLinks).Should().Be(expected);
    }

    public void Dispose()
    {
        _socket.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
