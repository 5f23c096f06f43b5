using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Reconciler.Core.Manifests;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// Write beside, then rename: an interrupted or failed write leaves the file either as it was or complete, never half.
/// A path is taken as shell redirection takes it: a symbolic link is followed to the file it finally names (the link
/// stays a link), and a path that leads to no regular file (a device, a named pipe, <c>/dev/stdout</c>, a shell's
/// <c>/dev/fd/63</c>) is written into, since renaming over it would replace it. The content is made in memory before
/// any file is opened, so a pipe never gets part of a file whose making failed. The file's folder must exist. A failure
/// is an <see cref="IOException"/> whose message is one line naming the path.
/// </summary>
internal static class AtomicFile
{
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, Action<Stream> write)
    {
        using var content = new MemoryStream();
        write(content);
        Place(path, content);
    }

    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        await using var content = new MemoryStream();
        await write(content);
        Place(path, content);
    }

    /// <summary>A text writer over the new file: UTF-8 without a byte-order mark.</summary>
    public static Task WriteTextAsync(string path, Func<TextWriter, Task> write) => WriteAsync(path, async stream =>
    {
        await using var writer = new StreamWriter(stream, Utf8, leaveOpen: true);
        await write(writer);
    });

    /// <summary>UTF-8 text without a byte-order mark.</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken) =>
        WriteTextAsync(path, writer => writer.WriteAsync(text.AsMemory(), cancellationToken));

    /// <summary>
    /// Writes <paramref name="target"/>'s new content beside it, flushed to disk (<see cref="StagedFile"/>); on a failure
    /// nothing is left. Failures name <paramref name="path"/>, the path as given.
    /// </summary>
    public static StagedFile WriteBeside(string path, string target, Action<Stream> write)
    {
        StagedFile? staged = null;
        Failing(path, () => staged = StagedFile.Write(target, write));
        return staged!;
    }

    /// <summary>Gives <paramref name="staged"/> its name beside its target (<see cref="StagedFile.Name"/>).</summary>
    public static void Name(string path, StagedFile staged) => Failing(path, staged.Name);

    /// <summary>Renames <paramref name="staged"/> over <paramref name="target"/>; on a failure nothing is left beside it.</summary>
    public static void Replace(string path, string target, StagedFile staged) => Failing(path, () => staged.Place(target));

    /// <summary>The reason of a failed file operation, without .NET's wording around it: "No space left on device".</summary>
    public static string Reason(Exception exception) => exception switch
    {
        // A failed system call's IOException carries its errno; the message would add " : '<temporary path>'".
        IOException { HResult: > 0 and < 4096 } => Marshal.GetPInvokeErrorMessage(exception.HResult),
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException { InnerException: { } inner } => Reason(inner),
        UnauthorizedAccessException => "Permission denied",
        _ => exception.Message,
    };

    /// <summary>Puts <paramref name="content"/> where <paramref name="path"/> leads: into a file that is not a regular one, else beside the target and renamed over it.</summary>
    private static void Place(string path, MemoryStream content)
    {
        if (OperatingSystem.IsLinux() && InheritedDescriptor(path) is { } descriptor)
        {
            // Written where the descriptor's offset stands, as `>&1` would: standard output redirected to a file is not
            // replaced (which would lose what came before and after), and the command's own buffered text goes first.
            Console.Out.Flush();
            Console.Error.Flush();
            Failing(path, () =>
            {
                using var stream = StandardStream.Inherited(descriptor);
                content.WriteTo(stream);
            });
            return;
        }

        if (FileKinds.Of(path) is not (FileKind.Regular or FileKind.Directory or FileKind.None))
        {
            Failing(path, () =>
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                content.WriteTo(stream);
            });
            return;
        }

        var target = Target(path);
        using var staged = WriteBeside(path, target, content.WriteTo);
        Replace(path, target, staged);
    }

    /// <summary>The descriptor of this process that a path names (<c>/dev/stdout</c>, <c>/dev/fd/3</c>, <c>/proc/self/fd/3</c>); null for any other path.</summary>
    private static int? InheritedDescriptor(string path) => path switch
    {
        "/dev/stdout" => 1,
        "/dev/stderr" => 2,
        _ when (path.StartsWith("/dev/fd/", StringComparison.Ordinal) || path.StartsWith("/proc/self/fd/", StringComparison.Ordinal))
            && int.TryParse(path.AsSpan(path.LastIndexOf('/') + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var descriptor) && descriptor > 0 => descriptor,
        _ => null,
    };

    /// <summary>
    /// Where a path's content goes: the path with every symbolic link resolved, a folder that exists, and not a folder
    /// itself. The folder is not created: a mistyped one would otherwise be made quietly.
    /// </summary>
    private static string Target(string path)
    {
        var target = RealPaths.Resolve(path) ?? throw new IOException($"cannot write {path}: too many levels of symbolic links");
        if (Directory.Exists(target))
            throw new IOException($"cannot write {path}: it is a folder; give a file name");
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
            throw new IOException($"cannot write {path}: the folder {folder} does not exist");
        return target;
    }

    private static void Failing(string path, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write {path}: {Reason(e)}", e);
        }
    }
}
