using System.Text.Json.Nodes;

namespace Reconciler.Core.Engine.Output;

/// <summary>
/// Lines up the elements of a list before and after a change: scalars and keyed elements by identity, unkeyed objects
/// by equality and then by the most fields in common, so that a changed closing time reads as one changed element.
/// </summary>
public static class ElementPairs
{
    public static IReadOnlyList<(JsonNode? Before, JsonNode? After)> Match(JsonArray before, JsonArray after, ComparisonRule rule)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(rule);
        var element = rule with { Shape = ComparisonShape.Object };
        var pairs = rule.KeyField is { } key
            ? ByIdentity(before, after, e => e?[key]?.ToString())
            : before.Concat(after).All(e => e is not JsonObject)
                ? ByIdentity(before, after, e => e?.ToJsonString())
                : BySimilarity(before, after, element);
        var comparer = new DisplayOrder.ItemComparer(rule.Children.Count > 0 ? element : rule with { Shape = ComparisonShape.Scalar });
        return [.. pairs.OrderBy(p => p.After ?? p.Before, comparer)];
    }

    private static List<(JsonNode? Before, JsonNode? After)> ByIdentity(JsonArray before, JsonArray after, Func<JsonNode?, string?> identity)
    {
        var old = before.GroupBy(identity).ToDictionary(g => g.Key ?? "", g => g.First(), StringComparer.Ordinal);
        var pairs = new List<(JsonNode? Before, JsonNode? After)>();
        foreach (var item in after)
            pairs.Add((old.Remove(identity(item) ?? "", out var match) ? match : null, item));
        pairs.AddRange(old.Values.Select(v => ((JsonNode?)v, (JsonNode?)null)));
        return pairs;
    }

    private static List<(JsonNode? Before, JsonNode? After)> BySimilarity(JsonArray before, JsonArray after, ComparisonRule element)
    {
        var old = before.ToList();
        var @new = after.ToList();
        var pairs = new List<(JsonNode? Before, JsonNode? After)>();
        foreach (var item in @new.ToList())
        {
            var same = old.FindIndex(o => JsonNode.DeepEquals(o, item));
            if (same < 0)
                continue;
            pairs.Add((old[same], item));
            old.RemoveAt(same);
            @new.Remove(item);
        }

        foreach (var item in @new)
        {
            var best = old
                .Select((o, i) => (Node: o, Index: i, Score: element.Children.Count(c => o is JsonObject && item is JsonObject && JsonNode.DeepEquals(o[c.Name], item[c.Name]))))
                .Where(c => c.Score > 0)
                .OrderByDescending(c => c.Score).ThenBy(c => c.Index)
                .FirstOrDefault();
            if (best.Score > 0)
            {
                old.Remove(best.Node);
                pairs.Add((best.Node, item));
            }
            else
            {
                pairs.Add((null, item));
            }
        }

        pairs.AddRange(old.Select(o => (o, (JsonNode?)null)));
        return pairs;
    }
}
