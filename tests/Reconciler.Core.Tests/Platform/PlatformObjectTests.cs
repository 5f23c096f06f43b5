using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;

namespace Reconciler.Core.Tests.Platform;

public sealed class PlatformObjectTests
{
    private static readonly Dictionary<string, string> NoLabels = [];

    [Fact]
    public void Fields_given_as_a_json_object_are_that_object()
    {
        var fields = new JsonObject { ["displayName"] = "Ann" };

        var observed = new PlatformObject("agt_1", "ann@x.example", 1, NoLabels, fields);

        observed.Fields.Should().BeSameAs(fields);
        observed.Field("displayName").Should().BeSameAs(fields["displayName"]);
        observed.Field("absent").Should().BeNull();
    }

    [Fact]
    public void Fields_kept_as_json_read_as_a_new_object_each_time()
    {
        var observed = new PlatformObject("agt_1", "ann@x.example", 1, NoLabels, Element("""{"displayName":"Ann","invitation":{"state":"Invited"},"languages":["en"],"supervisorId":null}"""));

        observed.Fields.Should().NotBeSameAs(observed.Fields);
        observed.Fields.ToJsonString().Should().Be("""{"displayName":"Ann","invitation":{"state":"Invited"},"languages":["en"],"supervisorId":null}""");
        observed.Field("invitation").Should().BeOfType<JsonObject>().Which["state"]!.GetValue<string>().Should().Be("Invited");
        observed.Field("languages").Should().BeOfType<JsonArray>().Which.Should().ContainSingle();
        observed.Field("supervisorId").Should().BeNull("JSON null reads as Fields[name] reads it");
        observed.Field("absent").Should().BeNull();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void Fields_that_are_not_a_json_object_are_refused(string json)
    {
        var create = () => new PlatformObject("x", "x", 1, NoLabels, Element(json));

        create.Should().Throw<ArgumentException>().WithMessage("*JSON object*");
    }

    [Fact]
    public void With_replaces_json_fields_by_an_object()
    {
        var observed = new PlatformObject("agt_1", "ann@x.example", 1, NoLabels, Element("""{"displayName":"Ann"}"""));
        var replacement = new JsonObject { ["displayName"] = "Bea" };

        var updated = observed with { Version = 2, Fields = replacement };

        updated.Fields.Should().BeSameAs(replacement);
        updated.Field("displayName")!.GetValue<string>().Should().Be("Bea");
        observed.Field("displayName")!.GetValue<string>().Should().Be("Ann");
    }

    [Fact]
    public void Objects_are_equal_when_they_share_their_fields_and_identity()
    {
        var fields = Element("""{"displayName":"Ann"}""");
        var one = new PlatformObject("agt_1", "ann@x.example", 1, NoLabels, fields);

        one.Should().Be(new PlatformObject("agt_1", "ann@x.example", 1, NoLabels, fields));
        one.Should().NotBe(one with { Version = 2 });
        var (id, key, version, labels, read) = one;
        (id, key, version, labels).Should().Be(("agt_1", "ann@x.example", 1L, (IReadOnlyDictionary<string, string>)NoLabels));
        read.ToJsonString().Should().Be("""{"displayName":"Ann"}""");
    }

    [Fact]
    public void Objects_kept_as_slices_of_one_text_read_their_own_fields_and_are_equal_by_text()
    {
        var page = """{"displayName":"Ann","languages":["en"]}{"displayName":"Bea"}{"displayName":"Ann","languages":["en"]}"""u8.ToArray();
        var ann = new PlatformObject("agt_1", "ann@x.example", 1, NoLabels, page.AsMemory(0, 40));
        var bea = new PlatformObject("agt_2", "bea@x.example", 1, NoLabels, page.AsMemory(40, 21));
        var again = new PlatformObject("agt_1", "ann@x.example", 1, NoLabels, page.AsMemory(61, 40));

        ann.Fields.ToJsonString().Should().Be("""{"displayName":"Ann","languages":["en"]}""");
        bea.Json.GetProperty("displayName").GetString().Should().Be("Bea");
        bea.Field("languages").Should().BeNull();
        ann.Should().Be(again, "the same text and identity, wherever the text lies");
        ann.GetHashCode().Should().Be(again.GetHashCode());
        ann.Should().NotBe(again with { Id = "agt_3" });
    }

    [Fact]
    public void Text_that_is_not_a_json_object_is_refused()
    {
        var create = () => new PlatformObject("x", "x", 1, NoLabels, "[1]"u8.ToArray());

        create.Should().Throw<ArgumentException>().WithMessage("*JSON object*");
    }

    [Fact]
    public void ReadJson_gives_the_fields_in_a_document_of_their_own_for_text_and_for_an_object()
    {
        var fromText = new PlatformObject("agt_1", "ann@x.example", 1, NoLabels, Element("""{"displayName":"Ann","active":false}"""));
        var fromObject = new PlatformObject("agt_1", "ann@x.example", 1, NoLabels, new JsonObject { ["displayName"] = "Ann", ["active"] = false });

        foreach (var observed in new[] { fromText, fromObject })
        {
            using (var json = observed.ReadJson())
            {
                json.RootElement.GetRawText().Should().Be("""{"displayName":"Ann","active":false}""");
            }

            // Disposing the document gives its index back; the object reads as before.
            observed.Json.GetProperty("active").GetBoolean().Should().BeFalse();
        }
    }

    [Fact]
    public void Comparing_field_by_field_judges_as_comparing_the_whole_object()
    {
        var mapper = KindMappers.ForKind("Agent");
        var value = Gen.OneOf(
            Gen.Const((JsonNode?)null),
            Gen.OneOf<string>("Ann", "ann", "L1", "en", "EN", "fr", "").Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Int[0, 3].Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.OneOf<string>("en", "EN", "fr", "de").Array[0, 3].Select(items => (JsonNode?)new JsonArray([.. items.Select(i => (JsonNode?)JsonValue.Create(i))])));
        var names = mapper.Rules.Select(r => r.Name).ToArray();
        var object_ = Gen.Select(Gen.Int[0, names.Length - 1], value).Array[0, 8].Select(pairs =>
        {
            var json = new JsonObject();
            foreach (var (index, node) in pairs)
                json[names[index]] = node?.DeepClone();
            return json;
        });

        Gen.Select(object_, object_).Sample((wanted, observedFields) =>
        {
            var observed = new PlatformObject("agt_1", "ann@x.example", 1, NoLabels, Element(observedFields.ToJsonString()));

            FieldNormalizer.Same(wanted, observed, mapper.Rules).Should().Be(FieldNormalizer.Same(wanted, observed.Fields, mapper.Rules));
            FieldNormalizer.Same(observedFields, observed, mapper.Rules).Should().BeTrue();
        });
    }

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
