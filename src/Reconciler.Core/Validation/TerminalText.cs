using System.Buffers;
using System.Globalization;
using System.Text;

namespace Reconciler.Core.Validation;

/// <summary>Text from manifests, spreadsheets and the platform made safe to print on a terminal.</summary>
public static class TerminalText
{
    /// <summary>
    /// C0, DEL and C1 controls, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
    /// that make a line display in another order than it reads ("Trojan Source"; rustc and GitHub flag the same set).
    /// Marks such as U+200F stay: right-to-left names use them and they reorder nothing beyond themselves.
    /// </summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        [.. Range('\u0000', '\u001F'), .. Range('\u007F', '\u009F'), .. Range('\u202A', '\u202E'), .. Range('\u2066', '\u2069')]);

    /// <summary>
    /// The text with each control or bidirectional formatting character written as <c>\uXXXX</c>: what is printed goes to
    /// a terminal or a review, where a file name or value could otherwise clear the screen, retitle the window, forge lines
    /// or show a reviewer one thing while meaning another.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny(Escaped))
            return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (Escaped.Contains(c))
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static IEnumerable<char> Range(char first, char last) => Enumerable.Range(first, last - first + 1).Select(c => (char)c);
}
