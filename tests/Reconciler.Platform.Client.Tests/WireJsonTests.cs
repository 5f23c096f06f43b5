using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CsCheck;
using Reconciler.Core.Mapping;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Client.Tests;

/// <summary>
/// The generated metadata (<see cref="WireJsonContext"/>) writes every wire type exactly as the reflection metadata
/// the wire used before: the same JSON text for random instances of every DTO and nested object, with nulls omitted and written, and the
/// same properties (JSON names, types, values) for the bodies <see cref="WireBody"/> builds from them.
/// </summary>
public sealed class WireJsonTests
{
    private static readonly JsonSerializerOptions Reflection = new(WireJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
    private static readonly JsonSerializerOptions Generated = WireJson.Options;
    private static readonly JsonSerializerOptions ReflectionWritingNulls = new(Reflection) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
    private static readonly JsonSerializerOptions GeneratedWritingNulls = new(Generated) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>Every kind's DTO (what <see cref="WireBody"/> writes) and every record it reaches.</summary>
    public static TheoryData<Type> WireTypes() => [.. KindMappers.InDependencyOrder.Select(m => m.WireType).SelectMany(Reached).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void Every_wire_type_has_generated_metadata(Type type) =>
        WireJsonContext.Default.GetTypeInfo(type).Should().NotBeNull($"{type.Name} would otherwise be read by reflection");

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void Generated_metadata_writes_as_reflection_does(Type type) =>
        Gen.Int.Sample(seed =>
        {
            var value = Instance(type, new Random(seed), depth: 0);
            JsonSerializer.Serialize(value, type, Generated).Should().Be(JsonSerializer.Serialize(value, type, Reflection));
            JsonSerializer.Serialize(value, type, GeneratedWritingNulls).Should().Be(JsonSerializer.Serialize(value, type, ReflectionWritingNulls));
            JsonSerializer.SerializeToNode(value, type, GeneratedWritingNulls)!.ToJsonString()
                .Should().Be(JsonSerializer.SerializeToNode(value, type, ReflectionWritingNulls)!.ToJsonString());
            Properties(((IJsonTypeInfoResolver)WireJsonContext.Default).GetTypeInfo(type, GeneratedWritingNulls)!, value)
                .Should().Equal(Properties(Reflection.GetTypeInfo(type), value));
        }, iter: 300);

    /// <summary>
    /// The generated reader keeps a DTO's initial value for a field the JSON leaves out, as the reflection reader does: the
    /// platform reads every request body with it, so an agent created without <c>level</c> is L1, not null (Wire.cs).
    /// </summary>
    [Fact]
    public void Defaults_of_missing_fields_survive_reading()
    {
        JsonSerializer.Deserialize("""{"title":"t","status":409}""", WireJsonContext.Default.ProblemDto)!.Type.Should().Be("about:blank");
        var agent = JsonSerializer.Deserialize("""{"email":"a@x.example","displayName":"A","roleId":"rol_1"}""", WireJsonContext.Default.AgentDto)!;
        (agent.Level, agent.MaxConcurrentChats, agent.Active, agent.Languages.Count).Should().Be(("L1", 3, true, 0));
        WireBody.Read<AgentDto>(new JsonObject { ["email"] = "a@x.example" }).Level.Should().Be("L1");
    }

    /// <summary>Any JSON of a wire type, with fields left out, nulls and values, reads through the generated metadata as through reflection.</summary>
    [Theory]
    [MemberData(nameof(WireTypes))]
    public void Generated_metadata_reads_as_reflection_does(Type type) =>
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var json = JsonSerializer.SerializeToNode(Instance(type, random, depth: 0), type, ReflectionWritingNulls)!.AsObject();
            foreach (var name in json.Select(p => p.Key).Where(_ => random.Next(3) == 0).ToList())
                json.Remove(name);
            var text = json.ToJsonString();
            Read(text, type, Generated).Should().Be(Read(text, type, Reflection), text);
        }, iter: 300);

    /// <summary>What <paramref name="options"/> read from <paramref name="json"/>, written back with every field, or the error a missing required field gives.</summary>
    private static string Read(string json, Type type, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Serialize(JsonSerializer.Deserialize(json, type, options), type, ReflectionWritingNulls);
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public void Write_only_fields_are_found_from_the_generated_metadata()
    {
        WriteOnlyFields.Of(typeof(SsoProviderDto)).Should().BeEquivalentTo("oidc.clientSecret");
        WriteOnlyFields.Of(typeof(ChannelDto)).Should().BeEquivalentTo("telegram.token", "line.channelSecret", "line.accessToken");
        WriteOnlyFields.Of(typeof(OrganizationDto)).Should().BeEquivalentTo("pushNotifications.serviceAccountKey");
        WriteOnlyFields.Of(typeof(AgentDto)).Should().BeEmpty();
    }

    [Fact]
    public void A_body_as_an_element_is_the_serializer_s_text_of_it() =>
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var body = JsonSerializer.SerializeToNode(Instance(typeof(AgentDto), random, 0), ReflectionWritingNulls)!.AsObject();
            body["text"] = Text(random);
            body["number"] = random.NextDouble();
            WireJson.ToElement(body).GetRawText().Should().Be(JsonSerializer.SerializeToElement(body).GetRawText());
        }, iter: 200);

    private static IEnumerable<Type> Reached(Type type) =>
        type.Namespace != typeof(WireObject).Namespace ? (type.IsGenericType ? type.GetGenericArguments().SelectMany(Reached) : [])
        : [type, .. type.GetProperties().SelectMany(p => Reached(p.PropertyType))];

    /// <summary>The properties as <see cref="WireBody"/> reads them: JSON name, type, and the value written as JSON.</summary>
    private static List<string> Properties(JsonTypeInfo info, object? value) =>
        [.. info.Properties.Select(p => $"{p.Name} {p.PropertyType} {(value is null ? "" : JsonSerializer.Serialize(p.Get!(value), p.PropertyType, ReflectionWritingNulls))}")];

    /// <summary>A random value of <paramref name="type"/>; a record's properties are each set, left at their initial value or null.</summary>
    private static object? Instance(Type type, Random random, int depth)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return random.Next(3) == 0 ? null : Instance(underlying, random, depth);
        if (type == typeof(string))
            return Text(random);
        if (type == typeof(int))
            return random.Next(-5, 2000);
        if (type == typeof(long))
            return random.NextInt64(-1, long.MaxValue);
        if (type == typeof(bool))
            return random.Next(2) == 0;
        if (type == typeof(DateTimeOffset))
            return new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.FromHours(random.Next(-12, 15))).AddTicks(random.NextInt64(TimeSpan.TicksPerDay * 3650));
        if (type == typeof(JsonElement))
            return JsonDocument.Parse(new JsonArray(Text(random), random.Next(), null, new JsonObject { ["k"] = random.Next(2) == 0 }).ToJsonString()).RootElement.Clone();
        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, random.Next(3));
            for (var i = 0; i < array.Length; i++)
                array.SetValue(Instance(type.GetElementType()!, random, depth + 1), i);
            return array;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(type)!;
            for (var i = random.Next(4); i > 0; i--)
                list.Add(Instance(type.GetGenericArguments()[0], random, depth + 1));
            return list;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var map = (IDictionary)Activator.CreateInstance(type)!;
            for (var i = random.Next(4); i > 0; i--)
                map[Text(random) + i] = Instance(type.GetGenericArguments()[1], random, depth + 1);
            return map;
        }

        if (depth > 3)
            return null;
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties().Where(p => p.CanWrite))
        {
            switch (random.Next(6))
            {
                case 0:
                    break;
                case 1:
                    property.SetValue(instance, null);
                    break;
                default:
                    property.SetValue(instance, Instance(property.PropertyType, random, depth + 1));
                    break;
            }
        }

        return instance;
    }

    private static readonly string[] Texts = ["", "L1", "Ann", "ä-ö ü", "\"quoted\" \\ path", "<b>&'</b>", "line\nbreak\u2028", "😀", "agt_01"];

    private static string Text(Random random) => Texts[random.Next(Texts.Length)];
}
