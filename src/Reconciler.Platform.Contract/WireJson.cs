using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Reconciler.Platform.Contract;

/// <summary>JSON options of the wire: camelCase, enums as their PascalCase names, nulls omitted.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>A wire body as a read-only element, written from the node (no serializer metadata is built for it).</summary>
    public static JsonElement ToElement(JsonObject body) => JsonSerializer.SerializeToElement(body, WireJsonContext.Default.JsonObject);

    private static JsonSerializerOptions Create()
    {
        // Only the generated metadata, in every build: a Native AOT build has nothing else, so the JIT build and its tests
        // run exactly the code it runs, and a short run builds no reflection metadata at start.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = WireJsonContext.Default,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }
}
