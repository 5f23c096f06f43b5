using System.Buffers;

namespace Reconciler.Platform.Storage;

/// <summary>
/// A Kubernetes-style equality selector: <c>k=v</c> (or <c>k==v</c>), <c>k!=v</c> (also matches objects
/// without <c>k</c>), <c>k</c> (has the label) and <c>!k</c> (has not), comma-separated and ANDed.
/// </summary>
internal sealed record LabelSelector(IReadOnlyList<LabelRequirement> Requirements)
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
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (raw.Length == 0)
            {
                error = "empty requirement in labelSelector";
                return false;
            }

            LabelRequirement requirement;
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

            // A set-based requirement ("tier in (a,b)", split at its comma) or "a=b=c" would otherwise be read as a key
            // or value no label has, and answer an empty list instead of saying the selector is not understood.
            if (requirement.Key.Length == 0 || !IsPlain(requirement.Key) || (requirement.Value is { } v && !IsPlain(v)))
            {
                error = $"invalid requirement '{raw}' in labelSelector (requirements are k=v, k==v, k!=v, k and !k, separated by commas; set-based requirements such as 'k in (a,b)' are not supported)";
                return false;
            }

            requirements.Add(requirement);
        }

        selector = new LabelSelector(requirements);
        return true;
    }

    /// <summary>Whether a key or value holds none of the selector grammar's own characters.</summary>
    private static bool IsPlain(string text) => text.AsSpan().IndexOfAny(GrammarCharacters) < 0 && !text.Any(char.IsWhiteSpace);
}

/// <summary>One requirement; <see cref="Value"/> null means existence.</summary>
internal sealed record LabelRequirement(string Key, string? Value, bool Negated);
