using System.Buffers;

namespace Reconciler.Platform.Client;

/// <summary>
/// A response's body as UTF-8 in a pooled buffer, given back on dispose: a list page of a thousand objects is parsed
/// where it lies, without decoding it to a string first.
/// </summary>
internal sealed class ResponseBody : IDisposable
{
    private const int SmallBody = 4096;

    private byte[]? _buffer;
    private readonly int _length;

    private ResponseBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The body's bytes after a UTF-8 byte order mark, if any (as <c>ReadAsStringAsync</c> would drop it).</summary>
    public ReadOnlyMemory<byte> Utf8
    {
        get
        {
            var bytes = new ReadOnlyMemory<byte>(_buffer ?? throw new ObjectDisposedException(nameof(ResponseBody)), 0, _length);
            return bytes.Span.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
        }
    }

    /// <summary>No body, or only JSON whitespace: read as an empty object.</summary>
    public bool IsBlank => Utf8.Span.Trim(" \t\r\n"u8).IsEmpty;

    public static async Task<ResponseBody> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // A buffered response knows its length; one byte more lets the read see the end without growing the buffer.
        var expected = content.Headers.ContentLength is { } known && known >= 0 && known < Array.MaxLength ? (int)known + 1 : SmallBody;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(expected, 1));
        var length = 0;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            int read;
            do
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                length += read;
            }
            while (read > 0);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new ResponseBody(buffer, length);
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
