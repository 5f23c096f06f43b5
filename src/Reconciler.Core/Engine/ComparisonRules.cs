using System.Text.Json.Nodes;

namespace Reconciler.Core.Engine;

/// <summary>How a wire field is compared: the rules that make a diff semantic rather than textual.</summary>
public enum ComparisonShape
{
    /// <summary>Compared as is.</summary>
    Scalar,

    /// <summary>A string compared case-insensitively (e-mail addresses, colours).</summary>
    CaseInsensitive,

    /// <summary>A list whose order and duplicates do not matter.</summary>
    Set,

    /// <summary>A set of strings compared case-insensitively (domains).</summary>
    CaseInsensitiveSet,

    /// <summary>A nested object; absent means "all defaults".</summary>
    Object,

    /// <summary>A list of objects identified by a key field (tags by name); order does not matter.</summary>
    KeyedList,

    /// <summary>A list of objects whose order does not matter (weekly intervals).</summary>
    UnorderedList,

    /// <summary>A map from string keys to values (a reply template's text per language): compared whole, shown entry by entry.</summary>
    Map,
}

/// <summary>One field of a kind's wire shape: its comparison rule, default and, for references, the kind it points to.</summary>
public sealed record ComparisonRule(string Name, ComparisonShape Shape = ComparisonShape.Scalar)
{
    public JsonNode? Default { get; init; }

    public IReadOnlyList<ComparisonRule> Children { get; init; } = [];

    /// <summary>For KeyedList: the field that identifies an element.</summary>
    public string? KeyField { get; init; }

    /// <summary>Kind of the resource an id-valued field references; rendered by name in plans.</summary>
    public string? ReferenceKind { get; init; }

    /// <summary>Write-only on the platform: never compared, never shown.</summary>
    public bool WriteOnly { get; init; }

    /// <summary>The field's name in the manifest when it differs from the wire name; a top-level name with a dot is a full path (<c>metadata.name</c>).</summary>
    public string? ManifestName { get; init; }

    /// <summary>For sets of names with a natural order (weekdays): the order people read them in; others sort ordinally.</summary>
    public IReadOnlyList<string>? ValueOrder { get; init; }

    /// <summary>The manifest's name: explicit, else references <c>fooId</c>/<c>fooIds</c> are written <c>fooRef</c>/<c>fooRefs</c>.</summary>
    public string ManifestSegment => ManifestName ?? (ReferenceKind is null ? Name
        : Name.EndsWith("Ids", StringComparison.Ordinal) ? Name[..^3] + "Refs"
        : Name.EndsWith("Id", StringComparison.Ordinal) ? Name[..^2] + "Ref"
        : Name);
}

/// <summary>Brings desired and observed wire objects to one canonical form so that equal meaning compares equal.</summary>
public static class FieldNormalizer
{
    public static JsonObject Normalize(JsonObject? source, IReadOnlyList<ComparisonRule> rules)
    {
        var result = new JsonObject();
        foreach (var rule in rules)
        {
            if (rule.WriteOnly)
                continue;
            var value = source is not null && source.TryGetPropertyValue(rule.Name, out var v) ? v : null;
            result[rule.Name] = NormalizeValue(value, rule);
        }

        return result;
    }

    private static JsonNode? NormalizeValue(JsonNode? value, ComparisonRule rule)
    {
        if (value is null || value.GetValueKind() == System.Text.Json.JsonValueKind.Null)
            value = rule.Default?.DeepClone();
        switch (rule.Shape)
        {
            case ComparisonShape.Scalar:
                return value?.DeepClone();
            case ComparisonShape.CaseInsensitive:
                return value is null ? null : JsonValue.Create(value.ToString().ToLowerInvariant());
            case ComparisonShape.Set:
            case ComparisonShape.CaseInsensitiveSet:
                return NormalizeSet(value as JsonArray ?? [], rule.Shape == ComparisonShape.CaseInsensitiveSet);
            case ComparisonShape.Object:
                return Normalize(value as JsonObject, rule.Children);
            case ComparisonShape.Map:
                return value is JsonObject map
                    ? new JsonObject(map.Where(e => e.Value is not null).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value!.DeepClone())))
                    : value?.DeepClone();
            case ComparisonShape.KeyedList:
            case ComparisonShape.UnorderedList:
            {
                var items = (value as JsonArray ?? [])
                    .OfType<JsonObject>()
                    .Select(o => Normalize(o, rule.Children))
                    .OrderBy(o => rule.KeyField is null ? o.ToJsonString() : o[rule.KeyField]?.ToString() ?? "", StringComparer.Ordinal);
                return new JsonArray([.. items.Cast<JsonNode?>()]);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule.Shape, "Unknown field shape.");
        }
    }

    /// <summary>A set's non-null items as text, without duplicates, in ordinal order; a loop, not a query: every create normalizes its sets.</summary>
    private static JsonArray NormalizeSet(JsonArray items, bool ignoreCase)
    {
        var texts = new List<string>(items.Count);
        foreach (var item in items)
        {
            if (item is not null)
                texts.Add(Item(item, ignoreCase));
        }

        texts.Sort(StringComparer.Ordinal);
        var result = new JsonArray();
        for (var i = 0; i < texts.Count; i++)
        {
            if (i == 0 || !string.Equals(texts[i], texts[i - 1], StringComparison.Ordinal))
                result.Add((JsonNode?)JsonValue.Create(texts[i]));
        }

        return result;
    }

    /// <summary>
    /// Whether the planner's diff of the two objects is empty (every leaf of their normal forms equal, or empty on both
    /// sides), judged without building the normal forms: an unchanged object, the common case, costs no copy per field.
    /// </summary>
    public static bool Same(JsonObject? left, JsonObject? right, IReadOnlyList<ComparisonRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
        {
            if (!rule.WriteOnly && !SameValue(FieldOf(left, rule.Name), FieldOf(right, rule.Name), rule))
                return false;
        }

        return true;
    }

    /// <summary>As <see cref="Same(JsonObject?, JsonObject?, IReadOnlyList{ComparisonRule})"/>, reading the observed object one field at a time.</summary>
    public static bool Same(JsonObject? left, Platform.PlatformObject right, IReadOnlyList<ComparisonRule> rules)
    {
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
        {
            if (!rule.WriteOnly && !SameValue(FieldOf(left, rule.Name), right.Field(rule.Name), rule))
                return false;
        }

        return true;
    }

    private static JsonNode? FieldOf(JsonObject? source, string name) =>
        source is not null && source.TryGetPropertyValue(name, out var value) ? value : null;

    private static bool SameValue(JsonNode? left, JsonNode? right, ComparisonRule rule)
    {
        left = OrDefault(left, rule);
        right = OrDefault(right, rule);
        switch (rule.Shape)
        {
            case ComparisonShape.Scalar:
                return (IsEmpty(left) && IsEmpty(right)) || JsonNode.DeepEquals(left, right);
            case ComparisonShape.CaseInsensitive:
                return left is null || right is null
                    ? left is null && right is null
                    : string.Equals(left.ToString().ToLowerInvariant(), right.ToString().ToLowerInvariant(), StringComparison.Ordinal);
            case ComparisonShape.Set:
            case ComparisonShape.CaseInsensitiveSet:
                return SameSet(left as JsonArray ?? [], right as JsonArray ?? [], rule.Shape == ComparisonShape.CaseInsensitiveSet);
            case ComparisonShape.Object:
                return Same(left as JsonObject, right as JsonObject, rule.Children);
            default:
                var (l, r) = (NormalizeValue(left, rule), NormalizeValue(right, rule));
                return (IsEmpty(l) && IsEmpty(r)) || JsonNode.DeepEquals(l, r);
        }
    }

    /// <summary>Sets as <see cref="NormalizeValue"/> reads them (non-null items as text, duplicates and order ignored); the same items in the same order need no set.</summary>
    private static bool SameSet(JsonArray left, JsonArray right, bool ignoreCase)
    {
        if (left.Count == right.Count)
        {
            var inOrder = true;
            for (var i = 0; i < left.Count && inOrder; i++)
                inOrder = left[i] is { } l && right[i] is { } r && string.Equals(Item(l, ignoreCase), Item(r, ignoreCase), StringComparison.Ordinal);
            if (inOrder)
                return true;
        }

        return Items(left, ignoreCase).SetEquals(Items(right, ignoreCase));
    }

    private static HashSet<string> Items(JsonArray array, bool ignoreCase) =>
        array.Where(n => n is not null).Select(n => Item(n!, ignoreCase)).ToHashSet(StringComparer.Ordinal);

    private static string Item(JsonNode node, bool ignoreCase) => ignoreCase ? node.ToString().ToLowerInvariant() : node.ToString();

    private static JsonNode? OrDefault(JsonNode? value, ComparisonRule rule) =>
        value is null || value.GetValueKind() == System.Text.Json.JsonValueKind.Null ? rule.Default : value;

    /// <summary>Absent, or an empty list: the diff shows no change between two such values.</summary>
    public static bool IsEmpty(JsonNode? node) => node is null || node is JsonArray { Count: 0 };

    /// <summary>Leaf values by dotted path; objects are descended into, lists are leaves.</summary>
    public static IEnumerable<(string Path, JsonNode? Value, ComparisonRule Rule)> Flatten(JsonObject normalized, IReadOnlyList<ComparisonRule> rules, string prefix = "")
    {
        foreach (var rule in rules)
        {
            if (rule.WriteOnly)
                continue;
            var value = normalized[rule.Name];
            var path = prefix + rule.Name;
            if (rule.Shape == ComparisonShape.Object && value is JsonObject child)
            {
                foreach (var leaf in Flatten(child, rule.Children, path + "."))
                    yield return leaf;
            }
            else
            {
                yield return (path, value, rule);
            }
        }
    }
}
