namespace Reconciler.Platform.Storage;

/// <summary>
/// A Kubernetes-style equality selector: <c>k=v</c> (or <c>k==v</c>), <c>k!=v</c> (also matches objects
/// without <c>k</c>), <c>k</c> (has the label) and <c>!k</c> (has not), comma-separated and ANDed.
/// </summary>
internal sealed record LabelSelector(IReadOnlyList<LabelRequirement> Requirements)
{
    public static readonly LabelSelector Everything = new([]);

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
                requirement = new LabelRequirement(raw[..equals].Trim(), value.TrimStart('=').Trim(), Negated: false);
            }
            else if (raw.StartsWith('!'))
            {
                requirement = new LabelRequirement(raw[1..].Trim(), null, Negated: true);
            }
            else
            {
                requirement = new LabelRequirement(raw, null, Negated: false);
            }

            if (requirement.Key.Length == 0 || requirement.Key.Contains('=', StringComparison.Ordinal) || requirement.Key.Contains('!', StringComparison.Ordinal))
            {
                error = $"invalid requirement '{raw}' in labelSelector";
                return false;
            }

            requirements.Add(requirement);
        }

        selector = new LabelSelector(requirements);
        return true;
    }
}

/// <summary>One requirement; <see cref="Value"/> null means existence.</summary>
internal sealed record LabelRequirement(string Key, string? Value, bool Negated);
