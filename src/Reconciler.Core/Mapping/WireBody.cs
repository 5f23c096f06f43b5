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
    private static readonly JsonSerializerOptions Writing = new(WireJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

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
        return Select(JsonSerializer.SerializeToNode(wire, wire.GetType(), Writing)!.AsObject(), rules);
    }

    /// <summary>A platform object's fields as <typeparamref name="TWire"/>; fields it lacks keep the DTO's defaults.</summary>
    public static TWire Read<TWire>(JsonObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.Deserialize<TWire>(Reading)!;
    }

    /// <summary>Moves the named fields out of <paramref name="source"/> (a tree made for this call, so no copies are needed).</summary>
    private static JsonObject Select(JsonObject source, IReadOnlyList<ComparisonRule> rules)
    {
        var result = new JsonObject();
        foreach (var rule in rules)
        {
            var value = source[rule.Name];
            if (value is not null)
                source.Remove(rule.Name);
            result[rule.Name] = (rule.Shape, value) switch
            {
                (ComparisonShape.Object, JsonObject child) => Select(child, rule.Children),
                (ComparisonShape.KeyedList or ComparisonShape.UnorderedList, JsonArray items) =>
                    new JsonArray([.. items.Select(i => (JsonNode?)Select(i!.AsObject(), rule.Children))]),
                _ => value,
            };
        }

        return result;
    }

    private static void NothingRequired(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
            property.IsRequired = false;
    }
}
