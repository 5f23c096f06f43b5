using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;

namespace Reconciler.Core.Tests.Engine;

public sealed class FieldNormalizerTests
{
    private static readonly IReadOnlyList<ComparisonRule> Rules =
    [
        new("email", ComparisonShape.CaseInsensitive),
        new("level") { Default = "L1" },
        new("languages", ComparisonShape.Set),
        new("domains", ComparisonShape.CaseInsensitiveSet),
        new("routing", ComparisonShape.Object) { Children = [new("strategy") { Default = "RoundRobin" }, new("queueLimit") { Default = 0 }] },
        new("tags", ComparisonShape.KeyedList) { KeyField = "name", Children = [new("name"), new("color", ComparisonShape.CaseInsensitive)] },
        new("weekly", ComparisonShape.UnorderedList) { Children = [new("days", ComparisonShape.Set), new("opens")] },
        new("secret") { WriteOnly = true },
    ];

    public static TheoryData<string, string, string, bool> Cases => new()
    {
        { "e-mail case does not matter", """{"email":"Maria@Acme.example"}""", """{"email":"maria@acme.example"}""", true },
        { "an absent field equals its default", """{"level":"L1"}""", """{}""", true },
        { "a different value differs", """{"level":"L2"}""", """{}""", false },
        { "set order does not matter", """{"languages":["pt-BR","en"]}""", """{"languages":["en","pt-BR"]}""", true },
        { "set duplicates do not matter", """{"languages":["en","en"]}""", """{"languages":["en"]}""", true },
        { "a missing set element differs", """{"languages":["en","de"]}""", """{"languages":["en"]}""", false },
        { "domains compare case-insensitively", """{"domains":["ACME.example"]}""", """{"domains":["acme.example"]}""", true },
        { "a null object equals its defaults", """{"routing":null}""", """{"routing":{"strategy":"RoundRobin","queueLimit":0}}""", true },
        { "tags compare by name, in any order", """{"tags":[{"name":"b","color":"#FFFFFF"},{"name":"a"}]}""", """{"tags":[{"name":"a"},{"name":"b","color":"#ffffff"}]}""", true },
        { "intervals compare in any order, days too", """{"weekly":[{"days":["Tuesday","Monday"],"opens":"08:00"},{"days":["Saturday"],"opens":"10:00"}]}""", """{"weekly":[{"days":["Saturday"],"opens":"10:00"},{"days":["Monday","Tuesday"],"opens":"08:00"}]}""", true },
        { "write-only fields are never compared", """{"secret":"a"}""", """{}""", true },
        { "fields the platform adds are ignored", """{}""", """{"presence":"Online","id":"x"}""", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Normalize_MakesEqualMeaningCompareEqual(string why, string desired, string observed, bool equal)
    {
        var a = FieldNormalizer.Normalize(JsonNode.Parse(desired)!.AsObject(), Rules);
        var b = FieldNormalizer.Normalize(JsonNode.Parse(observed)!.AsObject(), Rules);
        JsonNode.DeepEquals(a, b).Should().Be(equal, why);
    }

    public static TheoryData<string, string, string, bool> SameCases
    {
        get
        {
            var cases = new TheoryData<string, string, string, bool>();
            foreach (var row in Cases)
                cases.Add((string)row[0], (string)row[1], (string)row[2], (bool)row[3]);
            cases.Add("an empty set equals an absent one", """{"languages":[]}""", """{}""", true);
            cases.Add("a null set item is ignored", """{"languages":["en",null]}""", """{"languages":["en"]}""", true);
            cases.Add("an absent e-mail differs from one", """{}""", """{"email":"a@b.example"}""", false);
            cases.Add("a changed nested field differs", """{"routing":{"strategy":"Random"}}""", """{}""", false);
            cases.Add("a changed tag colour differs", """{"tags":[{"name":"a","color":"#000000"}]}""", """{"tags":[{"name":"a","color":"#ffffff"}]}""", false);
            cases.Add("a number differs from its text", """{"level":2}""", """{"level":"2"}""", false);
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(SameCases))]
    public void Same_AgreesWithTheDiffOfTheNormalForms(string why, string desired, string observed, bool equal)
    {
        FieldNormalizer.Same(JsonNode.Parse(desired)!.AsObject(), JsonNode.Parse(observed)!.AsObject(), Rules).Should().Be(equal, why);
        FieldNormalizer.Same(JsonNode.Parse(observed)!.AsObject(), JsonNode.Parse(desired)!.AsObject(), Rules).Should().Be(equal, why + " (either way round)");
    }

    [Fact]
    public void Normalize_GivesASetAsItsNonNullItemsAsTextWithoutDuplicatesInOrdinalOrder()
    {
        // Items from a small alphabet, so duplicates and case variants are common; numbers, booleans and nulls too.
        var item = Gen.OneOf<JsonNode?>(
            Gen.String[Gen.Char["aAbB-é"], 0, 3].Select(t => (JsonNode?)JsonValue.Create(t)),
            Gen.Int[-2, 2].Select(n => (JsonNode?)JsonValue.Create(n)),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Const((JsonNode?)null));
        item.Array[0, 8].Sample(items =>
        {
            foreach (var ignoreCase in new[] { false, true })
            {
                var rule = new ComparisonRule("items", ignoreCase ? ComparisonShape.CaseInsensitiveSet : ComparisonShape.Set);
                var normalized = FieldNormalizer.Normalize(new JsonObject { ["items"] = new JsonArray([.. items.Select(i => i?.DeepClone())]) }, [rule]);
                var expected = items.Where(i => i is not null).Select(i => ignoreCase ? i!.ToString().ToLowerInvariant() : i!.ToString())
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                normalized["items"]!.ToJsonString().Should().Be(new JsonArray([.. expected.Select(t => (JsonNode?)JsonValue.Create(t))]).ToJsonString());
            }
        });
    }
}
