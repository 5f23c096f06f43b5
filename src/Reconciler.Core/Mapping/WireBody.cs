using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Reconciler.Core.Engine;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>Between a kind's DTO and the JSON the engine compares and sends.</summary>
public static class WireBody
{
    // Unset fields are written as null, as a replace means them: every compared field is in the body.
    private static readonly JsonSerializerOptions Writing = CreateWriting();

    private static readonly ConcurrentDictionary<Type, FrozenDictionary<string, JsonPropertyInfo>> Properties = new();

    // Export reads what the platform returns, however incomplete: a missing field falls back to the manifest's default.
    private static readonly JsonSerializerOptions Reading = new(WireJson.Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NothingRequired } },
    };

    /// <summary>The fields of <paramref name="wire"/> that <paramref name="rules"/> name, nested ones too, in the rules' order.</summary>
    public static JsonObject Of(object wire, IReadOnlyList<ComparisonRule> rules)
    {
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(rules);
        return Select(wire, wire.GetType(), rules);
    }

    /// <summary>A platform object's fields as <typeparamref name="TWire"/>; fields it lacks keep the DTO's defaults.</summary>
    public static TWire Read<TWire>(JsonObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.Deserialize<TWire>(Reading)!;
    }

    // The body is built from the DTO's properties as the serializer's metadata describes them (JSON names, getters),
    // without writing JSON text and parsing it back: planning makes one body per resource.
    private static JsonObject Select(object wire, Type type, IReadOnlyList<ComparisonRule> rules)
    {
        var properties = PropertiesOf(type);

        // Sized once from the fields: a body grown field by field reallocated its table three times for an agent.
        var fields = new KeyValuePair<string, JsonNode?>[rules.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            var rule = rules[i];
            var property = properties[rule.Name];
            var value = property.Get!(wire);
            fields[i] = KeyValuePair.Create(rule.Name, (rule.Shape, value) switch
            {
                (_, null) => null,
                (ComparisonShape.Object, _) => Select(value, property.PropertyType, rule.Children),
                (ComparisonShape.KeyedList or ComparisonShape.UnorderedList, IEnumerable items) => Items(items, Writing.GetTypeInfo(property.PropertyType).ElementType!, rule.Children),
                _ => Node(value),
            });
        }

        return new JsonObject(fields);
    }

    private static JsonArray Items(IEnumerable items, Type element, IReadOnlyList<ComparisonRule> rules)
    {
        var array = new JsonArray();
        foreach (var item in items)
            array.Add(item is null ? null : Select(item, element, rules));
        return array;
    }

    /// <summary>A field's value as the serializer writes it; the DTOs' own shapes are built directly, anything else serialized.</summary>
    private static JsonNode? Node(object value) => value switch
    {
        string text => JsonValue.Create(text),
        int number => JsonValue.Create(number),
        bool flag => JsonValue.Create(flag),
        IReadOnlyList<string?> texts => new JsonArray([.. texts.Select(t => t is null ? null : (JsonNode)JsonValue.Create(t))]),
        IReadOnlyDictionary<string, string?> map => new JsonObject(map.Select(e => KeyValuePair.Create(e.Key, e.Value is null ? null : (JsonNode)JsonValue.Create(e.Value)))),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Writing),
    };

    private static FrozenDictionary<string, JsonPropertyInfo> PropertiesOf(Type type) =>
        Properties.GetOrAdd(type, t => Writing.GetTypeInfo(t).Properties.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal));

    private static JsonSerializerOptions CreateWriting()
    {
        var options = new JsonSerializerOptions(WireJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static void NothingRequired(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
            property.IsRequired = false;
    }
}
