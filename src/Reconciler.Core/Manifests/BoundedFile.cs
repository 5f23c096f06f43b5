using System.Text;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Reads a whole file, but never more than a limit: a device (<c>/dev/zero</c>) or a <c>/proc</c> file reports a length
/// of 0, and a device may have no end that a plain read to the end would reach before the memory runs out. (A named pipe
/// is read until its writer closes it, as <c>cat</c> reads it: opening one waits for a writer.)
/// </summary>
public static class BoundedFile
{
    /// <summary>The file's bytes, or null when it holds more than <paramref name="maxBytes"/>; an <see cref="IOException"/> saying so for a folder.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The most it may hold.</param>
    /// <param name="notWanted">
    /// Given the bytes of the first read, true when they already show the file is not what the caller reads (a device's
    /// zeros for JSON); reading stops and those bytes are returned, for the caller's parser to refuse where they go wrong,
    /// instead of reading on to the limit.
    /// </param>
    public static byte[]? ReadAllBytes(string path, long maxBytes, NotWanted? notWanted = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Opening a folder fails as "Access to the path is denied", which sends the user to its permissions.
        if (Directory.Exists(path))
            throw new IOException("it is a folder, not a file");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return ReadAllBytes(stream, maxBytes, notWanted);
    }

    /// <summary>Whether the first bytes read show the file is not what the caller reads.</summary>
    public delegate bool NotWanted(ReadOnlySpan<byte> head);

    /// <summary>A stream's bytes to its end (standard input: a pipe, or a file redirected to it), or null when it holds more than <paramref name="maxBytes"/>.</summary>
    public static byte[]? ReadAllBytes(Stream stream, long maxBytes, NotWanted? notWanted = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxBytes, (long)Array.MaxLength);
        var reported = stream.CanSeek ? stream.Length - stream.Position : 0;
        if (reported > maxBytes)
            return null;

        // A regular file fills a buffer of its own length exactly; one that reports no length (or grows) is read in
        // doubling chunks, up to one byte past the limit.
        var buffer = new byte[reported > 0 ? reported : Math.Min(maxBytes + 1, 64 * 1024)];
        var length = 0;
        while (true)
        {
            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
                return length == buffer.Length ? buffer : buffer[..length];
            if (length == 0 && notWanted is not null && notWanted(buffer.AsSpan(0, read)))
                return buffer[..read];
            length += read;
            if (length > maxBytes)
                return null;
            if (length < buffer.Length)
                continue;
            if (length != reported)
            {
                Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1, buffer.Length * 2L));
                continue;
            }

            var next = stream.ReadByte();
            if (next < 0)
                return buffer;

            // Room for the byte and at least one more read: a file that reported 1 byte may hold many.
            Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1, Math.Max(buffer.Length * 2L, length + 2)));
            buffer[length++] = (byte)next;
            if (length > maxBytes)
                return null;
        }
    }

    /// <summary>The file's text as <c>File.ReadAllText(path, Encoding.UTF8)</c> decodes it, or null when it holds more than <paramref name="maxBytes"/>.</summary>
    public static string? ReadAllText(string path, long maxBytes) =>
        ReadAllBytes(path, maxBytes) is { } bytes ? Decode(bytes) : null;

    /// <summary>Bytes decoded as <c>File.ReadAllText(path, Encoding.UTF8)</c> decodes a file: by its byte order mark, else as UTF-8.</summary>
    public static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
