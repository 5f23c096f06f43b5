namespace Reconciler.Platform.Contract.Rules;

/// <summary>Collects the violations of one object; the shared checks (text, lists, formats) live here so each is written once.</summary>
internal sealed class RuleSink
{
    // Sets longer than this are checked for duplicates with a dictionary, shorter ones by comparing items pairwise.
    private const int SmallSet = 16;

    // Most objects break no rule: the list is made with the first violation.
    private List<Violation>? _violations;

    public IReadOnlyList<Violation> Violations => _violations ?? (IReadOnlyList<Violation>)[];

    public void Add(FieldPath path, string rule, string expected) => (_violations ??= []).Add(new Violation(path.ToString(), rule, expected));

    public void Text(FieldPath path, string? value, int maxLength, bool required)
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
        else if (ControlCharacters.In(value))
        {
            Add(path, RuleCodes.ControlCharacter, ControlCharacters.Expected);
        }
    }

    public void OneOf(FieldPath path, string? value, IReadOnlyCollection<string> allowed)
    {
        if (value is null || !allowed.Contains(value))
            Add(path, RuleCodes.OneOf, $"must be one of {string.Join(", ", allowed)}");
    }

    public void Range(FieldPath path, int value, int min, int max)
    {
        if (value < min || value > max)
            Add(path, RuleCodes.Range, $"must be between {min} and {max}");
    }

    /// <summary>A value in a format: absent is fine unless <paramref name="required"/>; a wrong one is quoted ("x" is not <paramref name="what"/>).</summary>
    public void Format(FieldPath path, string? value, Func<string?, bool> isValid, string rule, string what, bool required = false)
    {
        if (value is null)
        {
            if (required)
                Add(path, RuleCodes.Required, $"is required: {what}");
        }
        else if (!isValid(value))
        {
            Add(path, rule, $"{Excerpt.Quoted(value)} is not {what}");
        }
    }

    /// <summary>A list that is a set: at most <paramref name="maxItems"/> items, none blank, none twice (under <paramref name="comparer"/>).</summary>
    public void Set(string path, IReadOnlyList<string>? values, int maxItems, StringComparer comparer)
    {
        if (values is null)
            return;
        if (values.Count > maxItems)
            Add(path, RuleCodes.Length, $"must have at most {maxItems} items");
        // Lists are short: comparing each item with those before it finds the first occurrence a dictionary would,
        // without making one per list per object.
        var seen = values.Count > SmallSet ? new Dictionary<string, int>(comparer) : null;
        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(values[i]))
            {
                Add(new FieldPath(path, i), RuleCodes.EmptyItem, "must not be empty");
                continue;
            }

            var first = FirstOccurrence(values, i, comparer, seen);
            if (first != i)
                Add(new FieldPath(path, i), RuleCodes.DuplicateItem, $"duplicate value '{Excerpt.Of(values[i])}' (already at {path}[{first}])");
        }
    }

    public void Labels(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
            return;
        foreach (var (key, value) in labels)
        {
            if (!WireFormats.IsLabelKey(key))
                Add($"labels.{key}", RuleCodes.LabelKey, "label key must be a qualified name (optional DNS prefix and '/', then up to 63 alphanumerics, '-', '_', '.')");
            if (!WireFormats.IsLabelValue(value))
                Add($"labels.{key}", RuleCodes.LabelValue, "label value must be at most 63 alphanumerics, '-', '_', '.'");
        }
    }

    /// <summary>The index of the first non-blank item equal to item <paramref name="i"/> (itself when there is none before it).</summary>
    private static int FirstOccurrence(IReadOnlyList<string> values, int i, StringComparer comparer, Dictionary<string, int>? seen)
    {
        if (seen is not null)
            return seen.TryAdd(values[i], i) ? i : seen[values[i]];
        for (var j = 0; j < i; j++)
        {
            // A blank item is never equal to a non-blank one under an ordinal comparer, so blanks need no skipping.
            if (comparer.Equals(values[j], values[i]))
                return j;
        }

        return i;
    }
}
