using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Schema;

/// <summary>
/// JSON Schemas of every kind for editors (yaml-language-server), from the same source as the CRDs, laid out as the
/// datreeio CRDs-catalog names them: <c>{group}/{kind}_{version}.json</c>. Stricter than the CRD: apiVersion and kind
/// are fixed and unknown fields are flagged (<c>additionalProperties: false</c>), as the catalog's strict schemas do.
/// </summary>
public static class EditorSchemas
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>support.reconciler.dev/agent_v1alpha1.json</c>.</summary>
    public static string RelativePath(ResourceKindInfo kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return $"{Resource.Group}/{kind.Kind.ToLowerInvariant()}_{Resource.Version}.json";
    }

    public static IReadOnlyList<(string RelativePath, string Json)> GenerateAll() =>
        [.. ResourceCatalog.Kinds.Select(k => (RelativePath(k), Build(k).ToJsonString(Json) + "\n"))];

    public static JsonObject Build(ResourceKindInfo kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var schema = (JsonObject)Node(CrdGenerator.RootSchema(kind).ToDictionary());
        Strict(schema);
        var properties = schema["properties"]!.AsObject();
        properties["apiVersion"]!["enum"] = new JsonArray($"{Resource.Group}/{Resource.Version}");
        properties["kind"]!["enum"] = new JsonArray(kind.Kind);
        properties["metadata"] = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("name"),
            ["properties"] = new JsonObject
            {
                ["name"] = new JsonObject { ["type"] = "string", ["description"] = "The resource's name; other resources reference it by this name." },
                ["namespace"] = new JsonObject { ["type"] = "string" },
                ["labels"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
                ["annotations"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
            },
        };
        schema["required"] = new JsonArray("apiVersion", "kind", "metadata", "spec");
        var result = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["$id"] = $"https://reconciler.dev/schemas/{RelativePath(kind)}",
            ["title"] = $"{kind.Kind} ({Resource.Group}/{Resource.Version})",
        };
        foreach (var (key, value) in schema.ToList())
        {
            schema.Remove(key);
            result[key] = value;
        }

        return result;
    }

    /// <summary>The schema tree as the serializer writes it, built directly: the tree's values are objects, which the serializer would write through reflection.</summary>
    private static JsonNode Node(object value) => value switch
    {
        OrderedDictionary<string, object> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)Node(e.Value)))),
        List<object> list => new JsonArray([.. list.Select(Node)]),
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        _ => throw new InvalidOperationException($"A schema holds no {value.GetType()}."),
    };

    /// <summary>Objects with declared properties accept no others; CEL rules (x-kubernetes-validations) mean nothing to editors.</summary>
    private static void Strict(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("x-kubernetes-validations");
                if (o["properties"] is JsonObject && !o.ContainsKey("additionalProperties") && !o.ContainsKey("x-kubernetes-preserve-unknown-fields"))
                    o["additionalProperties"] = false;
                foreach (var (_, child) in o.ToList())
                    Strict(child);
                break;
            case JsonArray a:
                foreach (var item in a)
                    Strict(item);
                break;
        }
    }
}
