using System.Buffers;

namespace Reconciler.Platform.Contract.Rules;

/// <summary>
/// The C0 controls but tab, CR and LF, and DEL: no field, filter or selector of the API is meant to hold one, and
/// PostgreSQL refuses U+0000 in text and jsonb, so one let in failed the query (a 500) or, stored, every later count of
/// its collection.
/// </summary>
public static class ControlCharacters
{
    private static readonly SearchValues<char> Refused = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c), '\u007f']);

    public const string Expected = "must not hold control characters (tab, CR and LF are text)";

    public static bool In(ReadOnlySpan<char> text) => text.ContainsAny(Refused);
}
