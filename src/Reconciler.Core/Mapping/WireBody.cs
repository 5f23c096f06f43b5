using System.Buffers;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
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
    // Unset fields are written as null, as a replace means them: every compared field is in the body. Bodies are
    // only written, so from build-time metadata: reflection metadata was a noticeable part of a short plan's start.
    private static readonly JsonSerializerOptions Writing = CreateWriting();

    private static readonly ConcurrentDictionary<Type, FrozenDictionary<string, JsonPropertyInfo>> Properties = new();

    // The rules' names as UTF-8, encoded once per list of rules (a kind's, a nested object's): a lookup by a string
    // name encodes it again on every call, and an unchanged agent is matched with a lookup per rule.
    private static readonly ConditionalWeakTable<IReadOnlyList<ComparisonRule>, byte[][]> Utf8Names = new();

    // Export reads what the platform returns, however incomplete: a missing field falls back to the manifest's default.
    private static readonly JsonSerializerOptions Reading = new(WireJson.Options)
    {
        TypeInfoResolver = WireJsonContext.Default.WithAddedModifier(NothingRequired),
    };

    /// <summary>The fields of <paramref name="wire"/> that <paramref name="rules"/> name, nested ones too, in the rules' order.</summary>
    public static JsonObject Of(object wire, IReadOnlyList<ComparisonRule> rules)
    {
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(rules);
        return Select(wire, wire.GetType(), rules);
    }

    /// <summary>
    /// Whether the body of <paramref name="wire"/> compares equal to <paramref name="observed"/> as
    /// <see cref="FieldNormalizer.Same(JsonObject?, JsonObject?, IReadOnlyList{ComparisonRule})"/> judges them, read
    /// from the DTO and the observed JSON in place: an unchanged resource, most of a run, builds no body and no node.
    /// False also when it cannot tell so cheaply (one side falls back to a default, a list of objects, text that
    /// differs only in case): the caller then compares the bodies.
    /// </summary>
    public static bool Matches(object wire, IReadOnlyList<ComparisonRule> rules, JsonElement observed)
    {
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(rules);
        return observed.ValueKind == JsonValueKind.Object && Matches(wire, wire.GetType(), rules, observed);
    }

    /// <summary>A platform object's fields as <typeparamref name="TWire"/>; fields it lacks keep the DTO's defaults.</summary>
    public static TWire Read<TWire>(JsonObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.Deserialize((JsonTypeInfo<TWire>)Reading.GetTypeInfo(typeof(TWire)))!;
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

    private static bool Matches(object wire, Type type, IReadOnlyList<ComparisonRule> rules, JsonElement observed)
    {
        var properties = PropertiesOf(type);
        var names = Utf8Names.GetValue(rules, static r => [.. r.Select(rule => Encoding.UTF8.GetBytes(rule.Name))]);
        var fields = ArrayPool<JsonElement>.Shared.Rent(rules.Count);
        try
        {
            Find(observed, names, fields);
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                if (rule.WriteOnly)
                    continue;
                var property = properties[rule.Name];
                if (!Matches(property.Get!(wire), property.PropertyType, fields[i], rule))
                    return false;
            }

            return true;
        }
        finally
        {
            ArrayPool<JsonElement>.Shared.Return(fields, clearArray: true);
        }
    }

    /// <summary>
    /// The value of each named field (undefined where absent) in one walk over the object's properties: a lookup per
    /// name walked them once per rule, from the end, and comparing those names was a sixth of an unchanged plan. The
    /// platform writes the fields in the rules' order, so the name after the last one found is tried first. A name
    /// written twice reads as its last value, as a lookup reads it; an escaped name is left to the lookup.
    /// </summary>
    private static void Find(JsonElement observed, byte[][] names, JsonElement[] fields)
    {
        var next = 0;
        foreach (var property in observed.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            if (name.IndexOf((byte)'\\') >= 0)
            {
                for (var i = 0; i < names.Length; i++)
                    fields[i] = observed.TryGetProperty(names[i], out var field) ? field : default;
                return;
            }

            var at = IndexOf(names, name, next);
            if (at < 0)
                continue;
            fields[at] = property.Value;
            next = at + 1;
        }
    }

    private static int IndexOf(byte[][] names, ReadOnlySpan<byte> name, int from)
    {
        for (var i = from; i < names.Length; i++)
        {
            if (name.SequenceEqual(names[i]))
                return i;
        }

        for (var i = 0; i < from; i++)
        {
            if (name.SequenceEqual(names[i]))
                return i;
        }

        return -1;
    }

    private static bool Matches(object? value, Type type, JsonElement json, ComparisonRule rule)
    {
        var absent = json.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;
        if (value is null || absent)
        {
            // Both sides read as the rule's default, whatever it is; an absent set without a default is an empty one.
            return (value is null && absent)
                || (rule.Default is null && rule.Shape is ComparisonShape.Set or ComparisonShape.CaseInsensitiveSet
                    && (value is null ? json.ValueKind == JsonValueKind.Array && json.GetArrayLength() == 0 : value is IReadOnlyList<string?> { Count: 0 }));
        }

        return (rule.Shape, value) switch
        {
            (ComparisonShape.Scalar or ComparisonShape.CaseInsensitive, string text) => json.ValueKind == JsonValueKind.String && json.ValueEquals(text),
            (ComparisonShape.Scalar, int number) => json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var observed) && observed == number,
            (ComparisonShape.Scalar, bool flag) => json.ValueKind == (flag ? JsonValueKind.True : JsonValueKind.False),
            (ComparisonShape.Set or ComparisonShape.CaseInsensitiveSet, IReadOnlyList<string?> texts) => json.ValueKind == JsonValueKind.Array && SameSet(texts, json, rule.Shape == ComparisonShape.CaseInsensitiveSet),
            (ComparisonShape.Object, _) => json.ValueKind == JsonValueKind.Object && Matches(value, type, rule.Children, json),
            _ => false,
        };
    }

    /// <summary>The non-null texts of both as sets (lower-cased for a case-insensitive set); the same texts in the same order need no set.</summary>
    private static bool SameSet(IReadOnlyList<string?> texts, JsonElement array, bool ignoreCase)
    {
        if (texts.Count == array.GetArrayLength())
        {
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                if (texts[i] is not { } text || item.ValueKind != JsonValueKind.String || !item.ValueEquals(text))
                    break;
                i++;
            }

            if (i == texts.Count)
                return true;
        }

        var observed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            // Any other item is compared as its JSON text by the bodies' comparison: left to it.
            if (item.ValueKind == JsonValueKind.String)
                observed.Add(ignoreCase ? item.GetString()!.ToLowerInvariant() : item.GetString()!);
            else if (item.ValueKind != JsonValueKind.Null)
                return false;
        }

        return observed.SetEquals(texts.OfType<string>().Select(t => ignoreCase ? t.ToLowerInvariant() : t));
    }

    private static JsonArray Items(IEnumerable items, Type element, IReadOnlyList<ComparisonRule> rules)
    {
        var array = new JsonArray();
        foreach (var item in items)
            array.Add((JsonNode?)(item is null ? null : Select(item, element, rules)));
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
        _ => JsonSerializer.SerializeToNode(value, Writing.GetTypeInfo(value.GetType())),
    };

    // The type's own metadata as the resolver makes it, not configured: configuring it would first build the metadata
    // of every type it reaches (timestamps, read-only nested objects no rule names), most of it compiled at start.
    private static FrozenDictionary<string, JsonPropertyInfo> PropertiesOf(Type type) =>
        Properties.GetOrAdd(type, t => (Writing.TypeInfoResolver!.GetTypeInfo(t, Writing)
            ?? throw new InvalidOperationException($"{t} has no metadata in WireJsonContext; add it there with [JsonSerializable].")).Properties.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal));

    private static JsonSerializerOptions CreateWriting()
    {
        var options = new JsonSerializerOptions(WireJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never, TypeInfoResolver = WireJsonContext.Default };
        options.MakeReadOnly();
        return options;
    }

    private static void NothingRequired(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
            property.IsRequired = false;
    }
}
