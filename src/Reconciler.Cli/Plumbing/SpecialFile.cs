using System.Runtime.InteropServices;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// Whether a path leads, symbolic links followed, to a file that is neither a regular file nor a folder: a device, a
/// named pipe, a socket, or what <c>/dev/stdout</c> and a shell's <c>/dev/fd/63</c> lead to. Such a file is written
/// into, as shell redirection writes it; renaming another file over it would replace it. .NET tells a folder from the
/// rest but not these from a regular file, so the type is asked of statx(2), whose layout is the same on every Linux
/// architecture. Off Linux nothing is special.
/// </summary>
internal static partial class SpecialFile
{
    private const int CurrentDirectory = -100;
    private const uint TypeField = 0x1;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;
    private const int Folder = 0x4000;

    public static bool Is(string path)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        Span<byte> status = stackalloc byte[256];
        if (Native.Statx(CurrentDirectory, path, 0, TypeField, status) != 0)
            return false;
        var type = BitConverter.ToUInt16(status[ModeOffset..]) & TypeMask;
        return type is not (Regular or Folder);
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Statx(int directory, string path, int flags, uint mask, Span<byte> status);
    }
}
