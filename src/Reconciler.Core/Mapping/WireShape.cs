using System.Text.Json.Serialization.Metadata;
using Reconciler.Core.Engine;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>
/// Holds a kind's comparison rules to its DTO: every rule names a JSON property of the DTO (nested rules, of the nested
/// DTO or list element), and no property has two rules. The rules are code, so this is checked by a test over every mapper rather than at each start
/// (where reading every DTO's JSON metadata by reflection cost a noticeable part of a small <c>validate</c>).
/// </summary>
public static class WireShape
{
    /// <summary>The rule paths that name no property of <paramref name="wireType"/>, with what it has instead.</summary>
    public static IReadOnlyList<string> Mismatches(IReadOnlyList<ComparisonRule> rules, Type wireType)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(wireType);
        var problems = new List<string>();
        Check(rules, wireType, "", problems);
        return problems;
    }

    /// <summary>The JSON names of the properties of <paramref name="type"/>, with their types.</summary>
    public static IReadOnlyDictionary<string, Type> PropertiesOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return WireJson.Options.GetTypeInfo(type).Properties.ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.Ordinal);
    }

    private static void Check(IReadOnlyList<ComparisonRule> rules, Type type, string prefix, List<string> problems)
    {
        var properties = PropertiesOf(type);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            // A body is built with one entry per rule (WireBody), so a field named twice would be a broken body, not a later value winning.
            if (!named.Add(rule.Name))
                problems.Add($"{prefix}{rule.Name} has more than one rule");
            if (!properties.TryGetValue(rule.Name, out var propertyType))
            {
                problems.Add($"{prefix}{rule.Name} is not a field of {type.Name} ({string.Join(", ", properties.Keys)})");
                continue;
            }

            var isMap = WireJson.Options.GetTypeInfo(propertyType).Kind == JsonTypeInfoKind.Dictionary;
            if (isMap != (rule.Shape == ComparisonShape.Map))
                problems.Add(isMap
                    ? $"{prefix}{rule.Name} is a map; its rule's shape must be Map (diffed entry by entry)"
                    : $"{prefix}{rule.Name} is not a map ({propertyType.Name}); only a map's rule has the shape Map");
            if (rule.Children.Count == 0)
                continue;
            var element = ElementOf(propertyType);
            if (rule.KeyField is { } key && !rule.Children.Any(c => c.Name == key))
                problems.Add($"{prefix}{rule.Name}: key field {key} is not one of its fields");
            Check(rule.Children, element, $"{prefix}{rule.Name}.", problems);
        }
    }

    private static Type ElementOf(Type type)
    {
        var info = WireJson.Options.GetTypeInfo(type);
        return info.Kind == JsonTypeInfoKind.Enumerable ? info.ElementType! : Nullable.GetUnderlyingType(type) ?? type;
    }
}
