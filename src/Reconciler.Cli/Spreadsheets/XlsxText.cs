using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// Excel's escaping of cell text: a character XML cannot hold (a control character, a lone surrogate) and a carriage
/// return, which XML would turn into a line feed, are written as <c>_xHHHH_</c>; so that a literal <c>_xHHHH_</c>
/// survives the decoding, its underscore is written as <c>_x005F_</c>. Any other underscore is written as it is, as
/// Excel and LibreOffice write it: a reader that decodes no escapes (openpyxl's inline strings) then reads
/// <c>max_xu@acme.example</c> as it is.
/// </summary>
internal static partial class XlsxText
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789ABCDEFabcdef");

    public static string Escape(string text)
    {
        if (!text.Any(c => c is '_' or '\r' || !XmlConvert.IsXmlChar(c)))
            return text;
        var escaped = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsPair(text, i))
                escaped.Append(c).Append(text[++i]);
            else if (IsWrittenEscaped(text, i) || (c == '_' && StartsAnEscape(text, i)))
                escaped.Append(CultureInfo.InvariantCulture, $"_x{(int)c:X4}_");
            else
                escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static bool IsPair(string text, int i) => char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);

    private static bool IsWrittenEscaped(string text, int i) => text[i] == '\r' || (!XmlConvert.IsXmlChar(text[i]) && !IsPair(text, i));

    /// <summary>
    /// Whether the underscore at <paramref name="i"/> would be read as the start of an escape: <c>x</c> and four hex
    /// digits follow, then an underscore as written (a literal one, or the first of the next character's escape).
    /// </summary>
    private static bool StartsAnEscape(string text, int i) =>
        i + 6 < text.Length && text[i + 1] == 'x' && !text.AsSpan(i + 2, 4).ContainsAnyExcept(HexDigits)
            && (text[i + 6] == '_' || IsWrittenEscaped(text, i + 6));

    /// <summary>The text with its escapes decoded; as written when that would leave half a surrogate pair, which is no character and would reach the platform as U+FFFD.</summary>
    public static string Unescape(string text)
    {
        if (!text.Contains("_x", StringComparison.Ordinal))
            return text;
        var decoded = Escaped().Replace(text, m => ((char)int.Parse(m.Groups[1].ValueSpan, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)).ToString());
        return IsWellFormed(decoded) ? decoded : text;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out _, out var length) != OperationStatus.Done)
                return false;
            i += length - 1;
        }

        return true;
    }

    [GeneratedRegex("_x([0-9A-Fa-f]{4})_")]
    private static partial Regex Escaped();
}
