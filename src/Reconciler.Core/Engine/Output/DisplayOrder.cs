using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Core.Engine.Output;

/// <summary>
/// Puts a normalized value in the order people read it: set items in their natural order (weekdays Monday to Sunday),
/// object fields in the manifest's declared order, unordered list elements by their fields in that order.
/// </summary>
public static class DisplayOrder
{
    public static JsonNode? Arrange(JsonNode? value, ComparisonRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        switch (value)
        {
            case null:
                return null;
            case JsonArray items when rule.Shape is ComparisonShape.Set or ComparisonShape.CaseInsensitiveSet || (rule.Children.Count == 0 && rule.ReferenceKind is not null):
                return new JsonArray([.. items.Select(i => i?.DeepClone()).OrderBy(i => i, new ItemComparer(rule))]);
            case JsonArray elements when rule.Shape is ComparisonShape.KeyedList or ComparisonShape.UnorderedList:
            {
                var element = rule with { Shape = ComparisonShape.Object };
                var arranged = elements.Select(e => Arrange(e, element));
                var ordered = rule.KeyField is { } key
                    ? arranged.OrderBy(e => e?[key]?.ToString(), StringComparer.Ordinal)
                    : arranged.OrderBy(e => e, new ItemComparer(element));
                return new JsonArray([.. ordered]);
            }

            case JsonObject o when rule.Children.Count > 0:
            {
                var result = new JsonObject();
                foreach (var child in rule.Children.Where(c => !c.WriteOnly))
                {
                    if (o.TryGetPropertyValue(child.Name, out var v))
                        result[child.Name] = Arrange(v, child);
                }

                return result;
            }

            default:
                return value.DeepClone();
        }
    }

    /// <summary>Compares two values of one rule: known names by their position in <see cref="ComparisonRule.ValueOrder"/>, objects field by field.</summary>
    internal sealed class ItemComparer(ComparisonRule rule) : IComparer<JsonNode?>
    {
        public int Compare(JsonNode? x, JsonNode? y)
        {
            if (x is JsonObject a && y is JsonObject b)
            {
                foreach (var child in rule.Children)
                {
                    var c = new ItemComparer(child).Compare(a[child.Name], b[child.Name]);
                    if (c != 0)
                        return c;
                }

                return 0;
            }

            if (x is JsonArray left && y is JsonArray right)
            {
                var items = new ItemComparer(rule with { Shape = ComparisonShape.Scalar });
                for (var i = 0; i < Math.Min(left.Count, right.Count); i++)
                {
                    var c = items.Compare(left[i], right[i]);
                    if (c != 0)
                        return c;
                }

                return left.Count.CompareTo(right.Count);
            }

            var order = rule.ValueOrder;
            var (p, q) = (Text(x), Text(y));
            if (order is not null && order.Contains(p) && order.Contains(q))
                return order.ToList().IndexOf(p).CompareTo(order.ToList().IndexOf(q));
            if (x is JsonValue vx && y is JsonValue vy && vx.GetValueKind() == JsonValueKind.Number && vy.GetValueKind() == JsonValueKind.Number)
                return decimal.Parse(vx.ToJsonString(), CultureInfo.InvariantCulture).CompareTo(decimal.Parse(vy.ToJsonString(), CultureInfo.InvariantCulture));
            return string.CompareOrdinal(p, q);
        }

        private static string Text(JsonNode? node) => node?.ToString() ?? "";
    }
}
