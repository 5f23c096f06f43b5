using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Reconciler.Core.Mapping;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Tests.Mapping;

/// <summary>
/// Export reads the platform's objects through generated metadata (all the native build has) with nothing required: it
/// keeps the initial values the reflection reader keeps, in nested objects too (the DTOs' defaulted fields are settable).
/// </summary>
public sealed class WireBodyReadTests
{
    // How export read the platform's objects before: the reflection reader, nothing required.
    private static readonly JsonSerializerOptions Reflection = new(WireJson.Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NothingRequired } },
    };

    public static TheoryData<string> Kinds => [.. KindMappers.InDependencyOrder.Select(m => m.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_platform_object_without_fields_reads_as_the_reflection_reader_reads_it(string kind)
    {
        var type = KindMappers.ForKind(kind).WireType;

        // Every object the DTO holds is there but empty, so the initial values of nested objects are read too.
        var json = Empty(Reflection.GetTypeInfo(type), depth: 3);
        var read = typeof(WireBody).GetMethod(nameof(WireBody.Read))!.MakeGenericMethod(type).Invoke(null, [json]);

        JsonSerializer.Serialize(read, type, Reflection).Should().Be(JsonSerializer.Serialize(json.Deserialize(type, Reflection), type, Reflection));
    }

    [Fact]
    public void Missing_fields_keep_the_initial_values_at_every_depth_and_present_ones_are_read()
    {
        var agent = WireBody.Read<AgentDto>(new JsonObject { ["email"] = "ann@x.example", ["Languages"] = new JsonArray("fr") });
        agent.Should().BeEquivalentTo(new { Email = "ann@x.example", Level = "L1", MaxConcurrentChats = 3, Active = true, Languages = new[] { "fr" }, Capabilities = Array.Empty<string>() });

        var unit = WireBody.Read<BusinessUnitDto>(new JsonObject { ["routing"] = new JsonObject { ["queueLimit"] = 5 } });
        unit.Routing.Should().Be(new RoutingDto { Strategy = "RoundRobin", QueueLimit = 5 });
    }

    private static JsonObject Empty(JsonTypeInfo type, int depth)
    {
        var json = new JsonObject();
        foreach (var property in depth == 0 ? [] : type.Properties)
        {
            var value = type.Options.GetTypeInfo(property.PropertyType);
            if (value.Kind == JsonTypeInfoKind.Object)
                json[property.Name] = Empty(value, depth - 1);
            else if (value.Kind == JsonTypeInfoKind.Enumerable && type.Options.GetTypeInfo(value.ElementType!) is { Kind: JsonTypeInfoKind.Object } item)
                json[property.Name] = new JsonArray(Empty(item, depth - 1));
        }

        return json;
    }

    private static void NothingRequired(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
            property.IsRequired = false;
    }
}
