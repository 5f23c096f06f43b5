namespace Reconciler.Platform.Contract.Rules;

/// <summary>Collects the violations of one object; the shared checks (text, lists, formats) live here so each is written once.</summary>
internal sealed class RuleSink
{
    private readonly List<Violation> _violations = [];

    public IReadOnlyList<Violation> Violations => _violations;

    public void Add(string path, string rule, string expected) => _violations.Add(new Violation(path, rule, expected));

    public void Text(string path, string? value, int maxLength, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required || value is { Length: > 0 })
                Add(path, RuleCodes.Required, "is required and must not be blank");
        }
        else if (value.Length > maxLength)
        {
            Add(path, RuleCodes.Length, $"must be at most {maxLength} characters");
        }
    }

    public void OneOf(string path, string? value, IReadOnlyCollection<string> allowed)
    {
        if (value is null || !allowed.Contains(value))
            Add(path, RuleCodes.OneOf, $"must be one of {string.Join(", ", allowed)}");
    }

    public void Range(string path, int value, int min, int max)
    {
        if (value < min || value > max)
            Add(path, RuleCodes.Range, $"must be between {min} and {max}");
    }

    /// <summary>A value in a format: absent is fine unless <paramref name="required"/>; a wrong one is quoted ("x" is not <paramref name="what"/>).</summary>
    public void Format(string path, string? value, Func<string?, bool> isValid, string rule, string what, bool required = false)
    {
        if (value is null)
        {
            if (required)
                Add(path, RuleCodes.Required, $"is required: {what}");
        }
        else if (!isValid(value))
        {
            Add(path, rule, $"\"{value}\" is not {what}");
        }
    }

    /// <summary>A list that is a set: at most <paramref name="maxItems"/> items, none blank, none twice (under <paramref name="comparer"/>).</summary>
    public void Set(string path, IReadOnlyList<string>? values, int maxItems, StringComparer comparer)
    {
        if (values is null)
            return;
        if (values.Count > maxItems)
            Add(path, RuleCodes.Length, $"must have at most {maxItems} items");
        var seen = new Dictionary<string, int>(comparer);
        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(values[i]))
                Add($"{path}[{i}]", RuleCodes.EmptyItem, "must not be empty");
            else if (!seen.TryAdd(values[i], i))
                Add($"{path}[{i}]", RuleCodes.DuplicateItem, $"duplicate value '{values[i]}' (already at {path}[{seen[values[i]]}])");
        }
    }

    public void Labels(IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (!WireFormats.IsLabelKey(key))
                Add($"labels.{key}", RuleCodes.LabelKey, "label key must be a qualified name (optional DNS prefix and '/', then up to 63 alphanumerics, '-', '_', '.')");
            if (!WireFormats.IsLabelValue(value))
                Add($"labels.{key}", RuleCodes.LabelValue, "label value must be at most 63 alphanumerics, '-', '_', '.'");
        }
    }
}
