using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Reconciler.Platform.Contract;

/// <summary>JSON options of the wire: camelCase, enums as their PascalCase names, nulls omitted.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>A wire body as a read-only element, written from the node (no serializer metadata is built for it).</summary>
    public static JsonElement ToElement(JsonObject body) => JsonSerializer.SerializeToElement(body, WireJsonContext.Default.JsonObject);

    private static JsonSerializerOptions Create()
    {
        // Reflection where the runtime has it (it reads a missing init-only property as the DTO's initial value, which
        // the generated metadata does not); the generated metadata in a Native AOT build, which has no reflection serializer.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault ? new DefaultJsonTypeInfoResolver() : WireJsonContext.Default,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }
}
