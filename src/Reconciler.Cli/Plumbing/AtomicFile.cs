using System.Text;

namespace Reconciler.Cli.Plumbing;

/// <summary>Write beside, then rename: an interrupted write leaves the file either as it was or complete, never half.</summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, Action<Stream> write)
    {
        var temporary = Temporary(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        var temporary = Temporary(path);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                await write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>UTF-8 text without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, Utf8, leaveOpen: true);
        writer.Write(text);
    });

    /// <summary>A text writer over the new file: UTF-8 without a byte-order mark.</summary>
    public static Task WriteTextAsync(string path, Func<TextWriter, Task> write) => WriteAsync(path, async stream =>
    {
        await using var writer = new StreamWriter(stream, Utf8, leaveOpen: true);
        await write(writer);
    });

    /// <summary>UTF-8 text without a byte-order mark.</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken) =>
        WriteTextAsync(path, writer => writer.WriteAsync(text.AsMemory(), cancellationToken));

    // In the target's folder (so the rename stays on one file system), named per process so two runs do not share it.
    private static string Temporary(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
    }
}
