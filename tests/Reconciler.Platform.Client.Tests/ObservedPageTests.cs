using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Platform;

namespace Reconciler.Platform.Client.Tests;

public sealed class ObservedPageTests
{
    private static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char["abcXYZ019 -_./@\"\\\n\t\u0001<>&'+é€中"], 0, 12],
        Gen.OneOf<string>("", "😀 emoji", "agent0@bench.example", "reconciler", "\u2028", "2026-12-01T04:31:21.1101344+00:00"));

    private static readonly Gen<string> Name = Gen.OneOf(Gen.OneOf<string>("email", "displayName", "roleId", "labels", "items", "id", "key", "version", "ünï"), Gen.String[Gen.Char["abcdef"], 1, 5]);

    private static readonly Gen<JsonNode?> Leaf = Gen.OneOf(
        Gen.Const((JsonNode?)null),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Double[-1e12, 1e12].Select(d => (JsonNode?)JsonValue.Create(d)),
        Text.Select(s => (JsonNode?)JsonValue.Create(s)));

    private static readonly Gen<JsonNode?> Value = Nested(3);

    private static readonly Gen<JsonObject?> LabelMap = Gen.OneOf(
        Gen.Const((JsonObject?)null),
        Gen.Select(Gen.OneOf<string>("reconciler.dev/managed-by", "reconciler.dev/source", "team", "ü"), Gen.OneOf(Text.Select(s => (JsonNode?)JsonValue.Create(s)), Gen.Const((JsonNode?)null))).Array[0, 4]
            .Select(pairs => (JsonObject?)Object(pairs)));

    private static readonly Gen<JsonObject> Observed = Gen.Select(
            Gen.OneOf(Text.Select(s => (JsonNode?)JsonValue.Create(s)), Gen.Const((JsonNode?)null)),
            Gen.OneOf(Text.Select(s => (JsonNode?)JsonValue.Create(s)), Gen.Const((JsonNode?)null)),
            Gen.OneOf(Gen.Long.Select(v => (JsonNode?)JsonValue.Create(v)), Gen.Const((JsonNode?)null)),
            LabelMap,
            Gen.Select(Name, Value).Array[0, 8])
        .Select((id, key, version, labels, fields) =>
        {
            var json = Object(fields);
            Put(json, "id", id);
            Put(json, "key", key);
            Put(json, "version", version);
            Put(json, "labels", labels);
            return json;
        });

    [Fact]
    public void Every_observed_object_reads_as_the_json_object_tree_it_replaced()
    {
        Gen.Select(Observed.Array[0, 6], Gen.Bool, Gen.Bool).Sample((objects, rawUnicode, spaced) =>
        {
            var options = new JsonSerializerOptions { Encoder = rawUnicode ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : JavaScriptEncoder.Default, WriteIndented = spaced };
            var page = new JsonObject { ["items"] = new JsonArray([.. objects.Select(o => (JsonNode?)o.DeepClone())]), ["nextCursor"] = null };
            var utf8 = Encoding.UTF8.GetBytes(page.ToJsonString(options));
            var before = ((JsonArray)JsonNode.Parse(Encoding.UTF8.GetString(utf8))!["items"]!).Select(i => Before((JsonObject)i!)).ToList();

            List<PlatformObject> after;
            using (var document = JsonDocument.Parse(utf8))
                after = ObservedPage.Objects(document.RootElement.GetProperty("items"));
            Array.Fill(utf8, (byte)'#');

            after.Should().HaveSameCount(before);
            foreach (var (now, was) in after.Zip(before))
                ShouldReadAlike(now, was);
        });
    }

    [Fact]
    public void A_single_answer_reads_as_the_json_object_tree_it_replaced()
    {
        Observed.Sample(json =>
        {
            var utf8 = Encoding.UTF8.GetBytes(json.ToJsonString());
            PlatformObject now;
            using (var document = JsonDocument.Parse(utf8))
                now = ObservedPage.Object(document.RootElement);
            Array.Fill(utf8, (byte)'#');

            ShouldReadAlike(now, Before((JsonObject)JsonNode.Parse(json.ToJsonString())!));
        });
    }

    [Fact]
    public void Changing_the_fields_read_from_an_observed_object_leaves_the_object_as_observed()
    {
        using var document = JsonDocument.Parse("""{"id":"agt_1","key":"a@x.example","version":3,"displayName":"Ann","languages":["en"]}""");
        var observed = ObservedPage.Object(document.RootElement);

        var fields = observed.Fields;
        fields["displayName"] = "Changed";
        ((JsonArray)fields["languages"]!).Add("fr");

        observed.Fields.ToJsonString().Should().Be("""{"id":"agt_1","key":"a@x.example","version":3,"displayName":"Ann","languages":["en"]}""");
        observed.Field("languages")!.ToJsonString().Should().Be("""["en"]""");
    }

    [Fact]
    public void Label_names_and_shared_values_are_kept_once_per_page()
    {
        using var document = JsonDocument.Parse("""
            {"items":[
              {"id":"1","key":"a","version":1,"labels":{"reconciler.dev/managed-by":"reconciler","reconciler.dev/source":"Agent.a"}},
              {"id":"2","key":"b","version":1,"labels":{"reconciler.dev/managed-by":"reconciler","reconciler.dev/source":"Agent.b"}}]}
            """);

        var objects = ObservedPage.Objects(document.RootElement.GetProperty("items"));

        var (first, second) = (objects[0].Labels, objects[1].Labels);
        first.Keys.Zip(second.Keys).Should().OnlyContain(pair => ReferenceEquals(pair.First, pair.Second));
        ReferenceEquals(first["reconciler.dev/managed-by"], second["reconciler.dev/managed-by"]).Should().BeTrue();
        second["reconciler.dev/source"].Should().Be("Agent.b");
    }

    [Fact]
    public void A_value_the_objects_share_is_kept_once_among_values_of_their_own()
    {
        var items = string.Join(",", Enumerable.Range(0, 100).Select(i =>
            $$$"""{"id":"{{{i}}}","key":"k{{{i}}}","labels":{"reconciler.dev/managed-by":"reconciler","reconciler.dev/source":"Agent.a{{{i}}}","team":"{{{(i % 3 == 0 ? "red" : "blue")}}}"}}"""));
        using var document = JsonDocument.Parse($$"""{"items":[{{items}}]}""");

        var objects = ObservedPage.Objects(document.RootElement.GetProperty("items"));

        objects.Select(o => o.Labels["reconciler.dev/managed-by"]).Should().OnlyContain(v => ReferenceEquals(v, objects[0].Labels["reconciler.dev/managed-by"]));
        objects.Select(o => o.Labels["reconciler.dev/source"]).Should().Equal(Enumerable.Range(0, 100).Select(i => $"Agent.a{i}"));
        objects.Select(o => o.Labels["team"]).Should().Equal(Enumerable.Range(0, 100).Select(i => i % 3 == 0 ? "red" : "blue"));
    }

    [Fact]
    public void A_shared_label_written_with_escapes_is_found_by_its_text()
    {
        using var document = JsonDocument.Parse("""
            {"items":[
              {"id":"1","key":"a","version":1,"labels":{"reconciler.dev/managed-by":"reconciler","t":"caf\u00e9"}},
              {"id":"2","key":"b","version":1,"labels":{"reconciler.dev/managed\u002Dby":"\u0072econciler","t":"café","u":"caf\u00e9 "}}]}
            """);

        var objects = ObservedPage.Objects(document.RootElement.GetProperty("items"));

        var (first, second) = (objects[0].Labels, objects[1].Labels);
        second.Should().Equal(new Dictionary<string, string> { ["reconciler.dev/managed-by"] = "reconciler", ["t"] = "café", ["u"] = "café " });
        ReferenceEquals(first["reconciler.dev/managed-by"], second["reconciler.dev/managed-by"]).Should().BeTrue();
        ReferenceEquals(first["t"], second["t"]).Should().BeTrue();
    }

    [Theory]
    [InlineData(3)]
    [InlineData(LabelList.MaxListed + 5)]
    public void Labels_read_as_a_dictionary_with_a_later_value_replacing_an_earlier_one(int count)
    {
        var pairs = Enumerable.Range(0, count).Select(i => KeyValuePair.Create($"l{i}", $"v{i}")).Append(KeyValuePair.Create("l1", "again")).ToList();

        var labels = LabelList.Of(pairs);

        labels.Should().HaveCount(count);
        labels["l1"].Should().Be("again");
        labels.Keys.Should().Equal(Enumerable.Range(0, count).Select(i => $"l{i}"));
        labels.ContainsKey("l0").Should().BeTrue();
        labels.TryGetValue("absent", out _).Should().BeFalse();
        ((Func<string>)(() => labels["absent"])).Should().Throw<KeyNotFoundException>();
    }

    [Theory]
    [InlineData("""{"labels":{"team":3}}""")]
    [InlineData("""{"labels":{"team":["a"]}}""")]
    [InlineData("""{"id":7}""")]
    public void A_malformed_object_is_refused_as_before(string json)
    {
        using var document = JsonDocument.Parse(json);

        var read = () => ObservedPage.Object(document.RootElement);

        read.Should().Throw<InvalidOperationException>();
        ((Action)(() => Before((JsonObject)JsonNode.Parse(json)!))).Should().Throw<InvalidOperationException>("the JsonObject reading refused it too");
    }

    /// <summary>How the client read an answer before it kept JSON elements: the oracle the new reading must agree with.</summary>
    private static PlatformObject Before(JsonObject json)
    {
        var labels = json["labels"] is JsonObject map
            ? map.Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        return new PlatformObject(json["id"]?.GetValue<string>() ?? "", json["key"]?.GetValue<string>() ?? "", json["version"]?.GetValue<long>() ?? 0, labels, json);
    }

    private static void ShouldReadAlike(PlatformObject now, PlatformObject was)
    {
        now.Id.Should().Be(was.Id);
        now.Key.Should().Be(was.Key);
        now.Version.Should().Be(was.Version);
        now.Labels.Should().BeEquivalentTo(was.Labels);
        now.Labels.ToList().Should().Equal(was.Labels.ToList(), "labels enumerate in the order a dictionary gave them");
        foreach (var name in new[] { "reconciler.dev/managed-by", "reconciler.dev/source", "team", "ü", "absent" })
            now.Labels.GetValueOrDefault(name).Should().Be(was.Labels.GetValueOrDefault(name));
        now.Fields.ToJsonString().Should().Be(was.Fields.ToJsonString());
        now.Fields.ToString().Should().Be(was.Fields.ToString());
        JsonNode.DeepEquals(now.Fields, was.Fields).Should().BeTrue();
        foreach (var (name, value) in was.Fields)
        {
            var field = now.Field(name);
            JsonNode.DeepEquals(field, value).Should().BeTrue(name);
            field?.ToJsonString().Should().Be(value!.ToJsonString());
            field?.GetValueKind().Should().Be(value!.GetValueKind());
        }

        now.Field("not-a-field-of-anything").Should().BeNull();
    }

    private static JsonObject Object(IEnumerable<(string Name, JsonNode? Value)> pairs)
    {
        var json = new JsonObject();
        foreach (var (name, value) in pairs)
            json[name] = value;
        return json;
    }

    private static void Put(JsonObject json, string name, JsonNode? value)
    {
        if (value is not null)
            json[name] = value;
        else
            json.Remove(name);
    }

    private static Gen<JsonNode?> Nested(int depth) => depth == 0
        ? Leaf
        : Gen.Frequency(
            (4, Leaf),
            (1, Nested(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (1, Gen.Select(Name, Nested(depth - 1)).Array[0, 4].Select(pairs => (JsonNode?)Object(pairs))));
}
