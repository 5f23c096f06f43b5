using System.Text;
using System.Text.Unicode;

namespace Reconciler.Core.Manifests;

/// <summary>
/// A manifest file's text until it is parsed. A file read from disk stays the UTF-8 bytes it was read as and is decoded
/// by the worker that parses it, so a large set's strings (twice the bytes for ASCII) are not all alive at once; the
/// set then keeps the bytes for positions (<see cref="FileTrees"/>). Text given as a string stays one.
/// </summary>
internal sealed class SourceText
{
    private readonly byte[]? _utf8;
    private readonly int _start;
    private readonly string? _text;

    private SourceText(byte[]? utf8, int start, string? text)
    {
        _utf8 = utf8;
        _start = start;
        _text = text;
    }

    /// <summary>The size that decides whether a set parses in parallel: characters of a string, bytes of a file.</summary>
    public long Length => _text?.Length ?? _utf8!.Length - _start;

    public static SourceText Of(string text) => new(null, 0, text);

    /// <summary>
    /// What <c>File.ReadAllText(file, Encoding.UTF8)</c> returns once decoded, read in one call instead of its stream
    /// reader's chunks into a builder, or null when the file holds more than <paramref name="maxBytes"/>: a UTF-8 byte
    /// order mark is dropped; a UTF-16 or UTF-32 one, by which that reader decodes, leaves the bytes to it.
    /// </summary>
    public static SourceText? Read(string file, long maxBytes) => FromBytes(BoundedFile.ReadAllBytes(file, maxBytes));

    /// <summary>As <see cref="Read(string, long)"/>, from a stream (standard input) read to its end.</summary>
    public static SourceText? Read(Stream stream, long maxBytes) => FromBytes(BoundedFile.ReadAllBytes(stream, maxBytes));

    private static SourceText? FromBytes(byte[]? bytes)
    {
        if (bytes is null)
            return null;
        if (bytes is [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0x00, 0x00, 0xFE, 0xFF, ..])
            return Of(BoundedFile.Decode(bytes));

        return new SourceText(bytes, bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0, null);
    }

    /// <summary>
    /// Where a file read from disk stops being UTF-8 (1-based line and column, and the byte there), or null when it is
    /// UTF-8 throughout: decoding would put U+FFFD in its place and send that to the platform unnoticed.
    /// </summary>
    public (int Line, int Column, byte Byte)? FirstInvalidUtf8()
    {
        if (_utf8 is null)
            return null;
        var bytes = _utf8.AsSpan(_start);
        if (Utf8.IsValid(bytes))
            return null;
        var at = 0;
        while (Rune.DecodeFromUtf8(bytes[at..], out _, out var length) == System.Buffers.OperationStatus.Done)
            at += length;
        var lineStart = bytes[..at].LastIndexOf((byte)'\n') + 1;
        return (bytes[..at].Count((byte)'\n') + 1, Encoding.UTF8.GetCharCount(bytes[lineStart..at]) + 1, bytes[at]);
    }

    public string Decode() => _text ?? Encoding.UTF8.GetString(_utf8.AsSpan(_start));
}
