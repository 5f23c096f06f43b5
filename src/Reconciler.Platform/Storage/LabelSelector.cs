using System.Buffers;
using System.Text.RegularExpressions;

namespace Reconciler.Platform.Storage;

/// <summary>
/// A Kubernetes label selector: <c>k=v</c> (or <c>k==v</c>), <c>k!=v</c> (also matches objects without <c>k</c>),
/// <c>k in (a,b)</c>, <c>k notin (a,b)</c> (also matches objects without <c>k</c>), <c>k</c> (has the label) and
/// <c>!k</c> (has not), comma-separated and ANDed.
/// </summary>
internal sealed partial record LabelSelector(IReadOnlyList<LabelRequirement> Requirements)
{
    public static readonly LabelSelector Everything = new([]);

    private static readonly SearchValues<char> GrammarCharacters = SearchValues.Create("=!(),");

    public static bool TryParse(string? text, out LabelSelector selector, out string? error)
    {
        selector = Everything;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var raw in SplitRequirements(text))
        {
            if (raw.Length == 0)
            {
                error = "empty requirement in labelSelector";
                return false;
            }

            if (!TryParseRequirement(raw, out var requirement))
            {
                // "a=b=c" or an unbalanced set would otherwise be read as a key or value no label has, and answer an
                // empty list instead of saying the selector is not understood.
                error = $"invalid requirement '{raw}' in labelSelector (requirements are k=v, k==v, k!=v, k in (a,b), k notin (a,b), k and !k, separated by commas)";
                return false;
            }

            requirements.Add(requirement);
        }

        selector = new LabelSelector(requirements);
        return true;
    }

    /// <summary>The requirements, split at the commas outside a set's parentheses and trimmed.</summary>
    private static List<string> SplitRequirements(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(text[start..].Trim());
        return parts;
    }

    private static bool TryParseRequirement(string raw, out LabelRequirement requirement)
    {
        if (SetBased().Match(raw) is { Success: true } set)
        {
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries);
            requirement = new LabelRequirement(set.Groups["key"].Value, null, Negated: set.Groups["op"].Value == "notin") { Values = values };

            // Kubernetes refuses an empty set: "k in ()" can mean nothing.
            return IsPlain(requirement.Key) && values is not [""] && values.All(IsPlain);
        }

        var notEquals = raw.IndexOf("!=", StringComparison.Ordinal);
        var equals = raw.IndexOf('=', StringComparison.Ordinal);
        if (notEquals > 0)
        {
            requirement = new LabelRequirement(raw[..notEquals].Trim(), raw[(notEquals + 2)..].Trim(), Negated: true);
        }
        else if (equals > 0)
        {
            var value = raw[(equals + 1)..];
            requirement = new LabelRequirement(raw[..equals].Trim(), (value.StartsWith('=') ? value[1..] : value).Trim(), Negated: false);
        }
        else if (raw.StartsWith('!'))
        {
            requirement = new LabelRequirement(raw[1..].Trim(), null, Negated: true);
        }
        else
        {
            requirement = new LabelRequirement(raw, null, Negated: false);
        }

        return requirement.Key.Length > 0 && IsPlain(requirement.Key) && (requirement.Value is not { } v || IsPlain(v));
    }

    /// <summary>Whether a key or value holds none of the selector grammar's own characters.</summary>
    private static bool IsPlain(string text) => text.AsSpan().IndexOfAny(GrammarCharacters) < 0 && !text.Any(char.IsWhiteSpace);

    [GeneratedRegex(@"^(?<key>\S+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex SetBased();
}

/// <summary>
/// One requirement: <see cref="Value"/> null means existence, unless <see cref="Values"/> holds the set of a set-based
/// one (<c>in</c>, or <c>notin</c> when negated).
/// </summary>
internal sealed record LabelRequirement(string Key, string? Value, bool Negated)
{
    public IReadOnlyList<string>? Values { get; init; }
}
