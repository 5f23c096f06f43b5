using CsCheck;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Tests.Validation;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("Dewi Lestari", "Dewi Lestari")]
    [InlineData("Ana \u00c1lvarez \u65e5\u672c \u0645\u062d\u0645\u062f", "Ana \u00c1lvarez \u65e5\u672c \u0645\u062d\u0645\u062f")]
    [InlineData("\u05e9\u05dc\u05d5\u05dd\u200f", "\u05e9\u05dc\u05d5\u05dd\u200f")]
    [InlineData("evil\u001b[2J", "evil\\u001B[2J")]
    [InlineData("a\nb\r", "a\\u000Ab\\u000D")]
    [InlineData("\u009b31m", "\\u009B31m")]
    [InlineData("admin\u202e\u2066txt.exe\u2069", "admin\\u202E\\u2066txt.exe\\u2069")]
    [InlineData("\u202a\u202b\u202c\u202d\u2067\u2068", "\\u202A\\u202B\\u202C\\u202D\\u2067\\u2068")]
    public void Controls_and_bidirectional_overrides_are_escaped_and_nothing_else(string text, string printed) =>
        TerminalText.Printable(text).Should().Be(printed);

    [Fact]
    public void No_printed_text_holds_a_control_or_a_bidirectional_override() =>
        Gen.String[Gen.Char, 0, 40].Sample(text =>
        {
            var printed = TerminalText.Printable(text);
            return !printed.Any(c => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
                && (printed == text) == !text.Any(c => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');
        });
}
