using System.Globalization;
using System.Text;

namespace Reconciler.Core.Validation;

/// <summary>Text from manifests and spreadsheets made safe to print on a terminal.</summary>
public static class TerminalText
{
    /// <summary>
    /// The text with each control character (C0, DEL, C1) written as <c>\uXXXX</c>: what is printed goes to a terminal,
    /// where a file name or value from a manifest could otherwise clear the screen, retitle the window or forge lines.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAnyInRange('\u0000', '\u001F') && !text.AsSpan().ContainsAnyInRange('\u007F', '\u009F'))
            return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c))
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                escaped.Append(c);
        }

        return escaped.ToString();
    }
}
