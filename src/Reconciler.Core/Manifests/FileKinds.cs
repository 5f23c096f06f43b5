using System.Runtime.InteropServices;

namespace Reconciler.Core.Manifests;

/// <summary>
/// What kind of file a path names, asked without opening it: opening a named pipe waits for a writer that may never
/// come, and a device may have no end. A file the tool found for itself (in a folder it walks, a secret, its state) is
/// read only when it is a regular file; a path named on the command line is read as it is.
/// </summary>
public static partial class FileKinds
{
    // statx(2): its buffer is laid out alike on every architecture, unlike stat(2)'s.
    private const int CurrentDirectory = -100;
    private const int NoFollow = 0x100;
    private const int NoAutomount = 0x800;
    private const uint TypeField = 0x1;
    private const int NotPermitted = 1;
    private const int NoSuchSystemCall = 38;

    /// <summary>
    /// The kind of file at <paramref name="path"/>: of the file a symbolic link leads to, or with
    /// <paramref name="followLinks"/> false of the link itself; where statx(2) cannot be asked, as <see cref="Portable"/> tells.
    /// </summary>
    public static FileKind Of(string path, bool followLinks = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsLinux())
        {
            return Portable(path, followLinks);
        }

        int result;
        Status status;
        try
        {
            result = Native.Statx(CurrentDirectory, path, NoAutomount | (followLinks ? 0 : NoFollow), TypeField, out status);
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than statx (glibc before 2.28, musl before 1.2.5).
            return Portable(path, followLinks);
        }

        if (result != 0)
        {
            // ENOSYS or EPERM: a seccomp profile that predates statx (Docker before 18.04 answered EPERM) refuses the
            // call for every path; links must still be told apart there (the state folder's, export's).
            return Marshal.GetLastPInvokeError() is NoSuchSystemCall or NotPermitted ? Portable(path, followLinks) : FileKind.None;
        }

        if ((status.Mask & TypeField) == 0)
            return FileKind.None;
        return (status.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.NamedPipe,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.None,
        };
    }

    /// <summary>
    /// What .NET's own file API tells: whatever exists and is no folder or link is taken for a regular file. Used
    /// where statx(2) cannot be asked (not Linux, a C library without it, or a sandbox that refuses it).
    /// </summary>
    internal static FileKind Portable(string path, bool followLinks)
    {
        FileSystemInfo file = new FileInfo(path);
        if (file.LinkTarget is not null)
        {
            if (!followLinks)
                return FileKind.SymbolicLink;
            try
            {
                file = file.ResolveLinkTarget(returnFinalTarget: true) ?? file;
            }
            catch (IOException)
            {
                return FileKind.None;
            }
        }

        // File.Exists is true for a link whatever it leads to, so the link's end is asked.
        return Directory.Exists(file.FullName) ? FileKind.Directory
            : File.Exists(file.FullName) && file.LinkTarget is null ? FileKind.Regular
            : FileKind.None;
    }

    /// <summary>The kind in words, for a message: "a named pipe".</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.None => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.NamedPipe => "a named pipe",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The start of struct statx: the fields asked for, and the mode whose top bits are the file's type.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Status
    {
        [FieldOffset(0)]
        public uint Mask;

        [FieldOffset(28)]
        public ushort Mode;
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Statx(int directory, string path, int flags, uint mask, out Status status);
    }
}
