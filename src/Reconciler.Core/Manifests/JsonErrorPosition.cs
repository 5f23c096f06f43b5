using System.Text;
using System.Text.Json;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Where a <see cref="JsonException"/> points, as an editor counts: System.Text.Json reports the column in UTF-8 bytes,
/// so on a line holding "é" or "日本" every later column would be off by the extra bytes.
/// </summary>
public static class JsonErrorPosition
{
    /// <summary>The 1-based line and column (in characters) of <paramref name="error"/> in <paramref name="utf8"/>.</summary>
    public static (int Line, int Column) Of(ReadOnlySpan<byte> utf8, JsonException error)
    {
        var line = (int)(error.LineNumber ?? 0);
        var lineStart = 0;
        for (var seen = 0; seen < line && lineStart < utf8.Length; seen++)
        {
            var newline = utf8[lineStart..].IndexOf((byte)'\n');
            lineStart = newline < 0 ? utf8.Length : lineStart + newline + 1;
        }

        var inLine = (int)Math.Min(error.BytePositionInLine ?? 0, utf8.Length - lineStart);
        return (line + 1, Encoding.UTF8.GetCharCount(utf8.Slice(lineStart, inLine)) + 1);
    }
}
