using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Reconciler.Platform.Contract;

/// <summary>JSON options of the wire: camelCase, enums as their PascalCase names, nulls omitted.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>
    /// The generated metadata of <typeparamref name="T"/> under <see cref="Options"/>, for the serializer's overloads that
    /// take it: those taking options alone are marked as needing reflection, although these options have no other resolver.
    /// </summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <inheritdoc cref="TypeInfo{T}"/>
    public static JsonTypeInfo TypeInfo(Type type) => Options.GetTypeInfo(type);

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
