using System.Text.Json.Nodes;
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
}
