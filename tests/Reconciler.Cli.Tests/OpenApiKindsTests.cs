using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;

namespace Reconciler.Cli.Tests;

/// <summary>
/// The checked-in OpenAPI document (held equal to what the platform serves by the platform's staleness test) is held
/// equal to the kind descriptions: one collection per described platform kind, with the kind's DTO and every compared field.
/// </summary>
public sealed class OpenApiKindsTests
{
    private const string Base = "/api/v1/";

    /// <summary>Collections of the API that are not kinds.</summary>
    private static readonly string[] NotKinds = ["permissions", "placeholders", "audit-events"];

    /// <summary>Operations on one object that are not its replace: a channel's connection report, an agent's invitation, the organisation's helpdesk links and licences.</summary>
    private static readonly string[] SubResources =
        ["channels/{id}/connection", "agents/{id}/invitation/accept", "agents/{id}/invitation/resend", "organization/helpdesk-links", "organization/licences"];

    private static readonly Lazy<JsonObject> Document = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestRepository.Root, "docs", "openapi", "platform-v1.json")))!.AsObject());

    public static TheoryData<string> Kinds() => [.. KindMappers.InDependencyOrder.Select(m => m.Kind)];

    [Fact]
    public void The_documents_paths_are_the_described_collections_and_no_others()
    {
        var expected = KindMappers.InDependencyOrder
            .SelectMany(m => m.IsSingleton ? [Base + m.Collection] : new[] { Base + m.Collection, $"{Base}{m.Collection}/{{id}}" })
            .Concat(NotKinds.Select(c => Base + c))
            .Concat(SubResources.Select(s => Base + s));

        Document.Value["paths"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(expected);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kinds_collection_takes_its_dto_and_the_dto_has_every_compared_field(string kind)
    {
        var mapper = KindMappers.ForKind(kind);
        var paths = Document.Value["paths"]!;

        var write = mapper.IsSingleton ? paths[Base + mapper.Collection]!["put"] : paths[Base + mapper.Collection]!["post"];
        var schema = write!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();

        schema.Should().Be($"#/components/schemas/{mapper.WireType.Name}");
        MissingFields(mapper.WireType.Name, mapper.Rules, "").Should().BeEmpty();
        if (!mapper.IsSingleton)
            paths[$"{Base}{mapper.Collection}/{{id}}"]!.AsObject().Select(o => o.Key).Should().BeEquivalentTo("get", "put", "delete");
    }

    private static IEnumerable<string> MissingFields(string schemaName, IReadOnlyList<ComparisonRule> rules, string prefix)
    {
        var properties = Document.Value["components"]!["schemas"]![schemaName]!["properties"]!.AsObject();
        foreach (var rule in rules)
        {
            if (properties[rule.Name] is not { } property)
            {
                yield return prefix + rule.Name;
                continue;
            }

            if (rule.Children.Count == 0)
                continue;
            var nested = RefOf(property["items"] ?? property) ?? throw new InvalidOperationException($"{schemaName}.{rule.Name} refers to no schema");
            foreach (var missing in MissingFields(nested, rule.Children, $"{prefix}{rule.Name}."))
                yield return missing;
        }
    }

    /// <summary>The schema a property refers to, directly or as the non-null alternative of a nullable one.</summary>
    private static string? RefOf(JsonNode property) =>
        (property["$ref"] ?? property["oneOf"]?.AsArray().Select(o => o?["$ref"]).FirstOrDefault(r => r is not null))?.GetValue<string>().Split('/')[^1];
}
