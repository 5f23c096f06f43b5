using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// A file's new content, written in its target's folder and flushed to disk, not yet in place. On Linux it has no name
/// until <see cref="Name"/>, just before the rename (open(2)'s O_TMPFILE, then linkat(2) and rename(2)): a run killed
/// (SIGKILL, OOM) while it writes leaves nothing, where a named temporary file would stay beside the target for the user
/// to commit with it. On other systems, and on a file system without O_TMPFILE, it is a named file beside the target,
/// removed on failure; what a killed run left is removed by the next write of that target.
/// </summary>
internal sealed partial class StagedFile : IDisposable
{
    private const int AtWorkingDirectory = -100;
    private const int AtSymlinkFollow = 0x400;
    private const int WriteOnly = 0x1;
    private const int CloseOnExec = 0x80000;
    private const int TemporaryFileBit = 0x400000;
    private const uint ReadWriteForAll = 0x1B6; // 0666, less the umask, as a file made by FileStream

    private readonly FileStream? _anonymous;
    private readonly string _temporary;
    private bool _named;
    private bool _placed;

    private StagedFile(FileStream? anonymous, string temporary) => (_anonymous, _temporary, _named) = (anonymous, temporary, anonymous is null);

    /// <summary>Writes <paramref name="target"/>'s new content beside it, flushed to disk; on a failure nothing is left.</summary>
    public static StagedFile Write(string target, Action<Stream> write)
    {
        var temporary = Temporary(target);
        RemoveLeftovers(target);
        if (Anonymous(Path.GetDirectoryName(target)!) is { } stream)
        {
            var staged = new StagedFile(stream, temporary);
            try
            {
                write(stream);
                stream.Flush(flushToDisk: true);
                return staged;
            }
            catch
            {
                staged.Dispose();
                throw;
            }
        }

        // A stale one (a killed run with this process id) is removed, and the new one made afresh: opening a symbolic
        // link left under this name would write wherever it leads.
        File.Delete(temporary);
        try
        {
            using var named = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            write(named);
            named.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        return new StagedFile(null, temporary);
    }

    /// <summary>
    /// Gives an anonymous file its temporary name beside the target (a stale file or link there is removed first, not
    /// written through); a named one has it already. A set of files is named whole before any is renamed, so that a
    /// name that cannot be made fails the set before it changed anything.
    /// </summary>
    public void Name()
    {
        if (_anonymous is null || _named)
            return;
        File.Delete(_temporary);
        var descriptor = _anonymous.SafeFileHandle.DangerousGetHandle().ToInt32();
        if (Native.LinkAt(AtWorkingDirectory, $"/proc/self/fd/{descriptor.ToString(CultureInfo.InvariantCulture)}", AtWorkingDirectory, _temporary, AtSymlinkFollow) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new IOException(Marshal.GetPInvokeErrorMessage(error), error);
        }

        _named = true;
    }

    /// <summary>Names the content (<see cref="Name"/>) and renames it over <paramref name="target"/>; on a failure nothing is left beside it.</summary>
    public void Place(string target)
    {
        try
        {
            Name();
            File.Move(_temporary, target, overwrite: true);
            _placed = true;
        }
        catch
        {
            File.Delete(_temporary);
            throw;
        }
    }

    public void Dispose()
    {
        _anonymous?.Dispose();
        if (_named && !_placed)
            File.Delete(_temporary);
    }

    // In the target's folder (so the rename stays on one file system), named per process so two runs do not share it.
    private static string Temporary(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.tmp");

    /// <summary>
    /// Removes the temporary files of <paramref name="target"/> that runs killed between naming and renaming left: those
    /// whose process is gone (Linux; a process id in use again keeps its file, harmlessly, until a later run).
    /// </summary>
    private static void RemoveLeftovers(string target)
    {
        if (!Directory.Exists("/proc/self"))
            return;
        var prefix = $".{Path.GetFileName(target)}.";
        IEnumerable<string> candidates;
        try
        {
            candidates = [.. Directory.EnumerateFiles(Path.GetDirectoryName(target)!, "*.tmp")];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // a folder one may write into but not list: tidying up after another run is no reason to fail this write
        }

        foreach (var leftover in candidates)
        {
            var name = Path.GetFileName(leftover);
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length <= prefix.Length + ".tmp".Length
                || !int.TryParse(name.AsSpan(prefix.Length, name.Length - prefix.Length - ".tmp".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var process)
                || process == Environment.ProcessId || Directory.Exists($"/proc/{process.ToString(CultureInfo.InvariantCulture)}"))
                continue;
            try
            {
                File.Delete(leftover);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // One that cannot be removed (immutable, another user's in a sticky folder) is left; the others are not.
            }
        }
    }

    /// <summary>An unnamed regular file in <paramref name="folder"/>, or null where there is none to have (not Linux, no /proc, a file system without O_TMPFILE).</summary>
    private static FileStream? Anonymous(string folder)
    {
        // O_TMPFILE is __O_TMPFILE | O_DIRECTORY, and O_DIRECTORY differs between architectures (asm-generic/fcntl.h).
        int? directory = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x10000,
            Architecture.Arm64 or Architecture.Arm => 0x4000,
            _ => null,
        };
        if (!OperatingSystem.IsLinux() || directory is null || !Directory.Exists("/proc/self/fd"))
            return null;
        var descriptor = Native.Open(folder, TemporaryFileBit | directory.Value | WriteOnly | CloseOnExec, ReadWriteForAll);
        if (descriptor < 0)
            return null; // the named file's failure says what is wrong with the folder, as it did before
        return new FileStream(new SafeFileHandle(descriptor, ownsHandle: true), FileAccess.Write, bufferSize: 0);
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags, uint mode);

        [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int LinkAt(int oldFolder, string oldPath, int newFolder, string newPath, int flags);
    }
}
