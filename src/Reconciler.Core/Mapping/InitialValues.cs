using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Reconciler.Core.Mapping;

/// <summary>
/// Reads JSON through build-time metadata as the reflection reader reads it: a property the JSON lacks keeps the value
/// its type initialises it to. The generated reader passes init-only properties to the constructor, so a missing one
/// would get its type's default instead (an agent without <c>level</c> would read as null, not L1). The JSON is first
/// completed, in every object it holds, with the initial values an instance made by the parameterless constructor has.
/// </summary>
internal static class InitialValues
{
    // Per metadata, not per type: the same type is written differently under other options.
    private static readonly ConcurrentDictionary<JsonTypeInfo, JsonObject> Initial = new();

    /// <summary><paramref name="json"/> as <typeparamref name="T"/>; the node is left as it is.</summary>
    public static T Read<T>(JsonObject json, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(type);
        var complete = json.DeepClone().AsObject();
        Complete(complete, type);
        return complete.Deserialize(type)!;
    }

    private static void Complete(JsonObject json, JsonTypeInfo type)
    {
        var comparer = type.Options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var present = new Dictionary<string, JsonNode?>(comparer);
        foreach (var (name, value) in json)
            present[name] = value;

        var initial = Initial.GetOrAdd(type, Of);
        foreach (var property in type.Properties)
        {
            if (!present.TryGetValue(property.Name, out var value))
            {
                if (initial[property.Name] is { } start)
                    json[property.Name] = start.DeepClone();
                continue;
            }

            var propertyType = type.Options.GetTypeInfo(property.PropertyType);
            switch (propertyType.Kind, value)
            {
                case (JsonTypeInfoKind.Object, JsonObject nested):
                    Complete(nested, propertyType);
                    break;
                case (JsonTypeInfoKind.Enumerable, JsonArray items):
                    CompleteAll(items, propertyType);
                    break;
                case (JsonTypeInfoKind.Dictionary, JsonObject entries):
                    CompleteAll(entries.Select(e => e.Value), propertyType);
                    break;
            }
        }
    }

    private static void CompleteAll(IEnumerable<JsonNode?> items, JsonTypeInfo collection)
    {
        var element = collection.Options.GetTypeInfo(collection.ElementType!);
        if (element.Kind != JsonTypeInfoKind.Object)
            return;
        foreach (var item in items)
        {
            if (item is JsonObject nested)
                Complete(nested, element);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Generated metadata of an object keeps its parameterless constructor for reflection: it asks for it by GetConstructor (ConstructorAttributeProviderFactory).")]
    private static JsonObject Of(JsonTypeInfo type) =>
        JsonSerializer.SerializeToNode(type.CreateObject is { } create ? create() : Activator.CreateInstance(type.Type), type)!.AsObject();
}
