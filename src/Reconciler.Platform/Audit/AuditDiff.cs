using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Audit;

/// <summary>
/// Field-level changes between two stored documents as JSON paths (<c>level</c>,
/// <c>routing.strategy</c>); arrays compare as whole values; the collection's write-only fields are masked.
/// </summary>
internal static class AuditDiff
{
    public const string Mask = "***";

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "id", "key", "version", "createdAt", "updatedAt" };

    public static List<FieldChangeDto> Compute(JsonObject? before, JsonObject? after, IReadOnlySet<string> writeOnly)
    {
        var left = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        var right = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        Flatten(before, "", left);
        Flatten(after, "", right);

        var changes = new List<FieldChangeDto>();
        foreach (var field in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            left.TryGetValue(field, out var from);
            right.TryGetValue(field, out var to);
            if (JsonNode.DeepEquals(from, to))
            {
                continue;
            }

            var secret = writeOnly.Contains(field);
            changes.Add(new FieldChangeDto
            {
                Field = field,
                From = Value(from, secret),
                To = Value(to, secret),
            });
        }

        return changes;
    }

    private static void Flatten(JsonObject? node, string prefix, IDictionary<string, JsonNode?> into)
    {
        if (node is null)
        {
            return;
        }

        foreach (var (name, value) in node)
        {
            if (prefix.Length == 0 && Ignored.Contains(name))
            {
                continue;
            }

            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            if (value is JsonObject child)
            {
                Flatten(child, path, into);
            }
            else if (value is not null)
            {
                into[path] = value;
            }
        }
    }

    private static JsonElement? Value(JsonNode? node, bool secret)
    {
        if (node is null)
        {
            return null;
        }

        // The generated metadata, which Native AOT needs; a string or a node is written the same under any of the options.
        return secret ? JsonSerializer.SerializeToElement(Mask, WireJsonContext.Default.String) : JsonSerializer.SerializeToElement(node, WireJsonContext.Default.JsonNode);
    }
}
