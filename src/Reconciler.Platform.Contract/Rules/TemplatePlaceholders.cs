using System.Text.RegularExpressions;

namespace Reconciler.Platform.Contract.Rules;

/// <summary>A <c>{{name}}</c> in a reply template's text, or a <c>{{</c> that does not make one (<see cref="Name"/> null).</summary>
public readonly record struct PlaceholderUse(int Offset, string Written, string? Name);

/// <summary>
/// Finds the <c>{{placeholder}}</c>s of a reply template's text. A name is dotted camelCase words
/// (<c>customer.name</c>, <c>agent.firstName</c>), with optional spaces inside the braces.
/// </summary>
public static partial class TemplatePlaceholders
{
    public const string NamePattern = "^[a-z][a-zA-Z0-9]*(\\.[a-z][a-zA-Z0-9]*)*$";

    public static bool IsName(string? value) => value is not null && NameRegex().IsMatch(value);

    /// <summary>Every <c>{{…}}</c> of <paramref name="text"/> in order; an unclosed <c>{{</c> runs to the end of the text.</summary>
    public static IEnumerable<PlaceholderUse> Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
            yield break;
        var at = 0;
        while ((at = text.IndexOf("{{", at, StringComparison.Ordinal)) >= 0)
        {
            var close = text.IndexOf("}}", at + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                yield return new PlaceholderUse(at, text[at..], null);
                yield break;
            }

            var inner = text[(at + 2)..close].Trim();
            yield return new PlaceholderUse(at, text[at..(close + 2)], IsName(inner) ? inner : null);
            at = close + 2;
        }
    }

    [GeneratedRegex(NamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
