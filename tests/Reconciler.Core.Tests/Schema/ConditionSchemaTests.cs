using System.Text.Json.Nodes;
using Json.Schema;
using Reconciler.Core.Resources;
using Reconciler.Core.Schema;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Core.Tests.Schema;

/// <summary>status.conditions of every kind carries upstream metav1.Condition's constraints, no fewer and no others.</summary>
public sealed class ConditionSchemaTests
{
    private const string TypePattern = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";

    /// <summary>metav1.Condition's properties as controller-gen writes them (k8s.io/apimachinery/pkg/apis/meta/v1, types.go); descriptions aside.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Upstream = new()
    {
        ["lastTransitionTime"] = new() { ["type"] = "string", ["format"] = "date-time" },
        ["message"] = new() { ["type"] = "string", ["maxLength"] = "32768" },
        ["observedGeneration"] = new() { ["type"] = "integer", ["format"] = "int64", ["minimum"] = "0" },
        ["reason"] = new() { ["type"] = "string", ["pattern"] = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$", ["minLength"] = "1", ["maxLength"] = "1024" },
        ["status"] = new() { ["type"] = "string", ["enum"] = "True,False,Unknown" },
        ["type"] = new() { ["type"] = "string", ["pattern"] = TypePattern, ["maxLength"] = "316" },
    };

    public static TheoryData<string> Kinds() => [.. ResourceCatalog.Kinds.Select(k => k.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Conditions_are_a_map_list_keyed_by_type_with_upstreams_required_fields(string kind)
    {
        var conditions = Conditions(kind);

        conditions.Scalar("type").Should().Be("array");
        conditions.Scalar("x-kubernetes-list-type").Should().Be("map");
        conditions.Strings("x-kubernetes-list-map-keys").Should().Equal("type");
        conditions.Map("items").Strings("required").Should().BeEquivalentTo("type", "status", "lastTransitionTime", "reason", "message");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_condition_property_has_exactly_upstreams_constraints(string kind)
    {
        var properties = Conditions(kind).Map("items").Map("properties");

        var rendered = properties.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => Keywords((YamlMappingNode)p.Value));

        rendered.Should().BeEquivalentTo(Upstream);
    }

    [Theory]
    [InlineData("""{"type": "Ready", "status": "True", "reason": "ReconcileSuccess", "message": "", "lastTransitionTime": "2026-12-02T10:00:00Z", "observedGeneration": 3}""", true)]
    [InlineData("""{"type": "example.com/Ready", "status": "Unknown", "reason": "A_b,c:D", "message": "m", "lastTransitionTime": "2026-12-02T10:00:00Z"}""", true)]
    [InlineData("""{"type": "Ready", "status": "Maybe", "reason": "ReconcileSuccess", "message": "", "lastTransitionTime": "2026-12-02T10:00:00Z"}""", false)]
    [InlineData("""{"type": "Ready", "status": "True", "reason": "not a reason", "message": "", "lastTransitionTime": "2026-12-02T10:00:00Z"}""", false)]
    [InlineData("""{"type": "Ready", "status": "True", "reason": "Trailing:", "message": "", "lastTransitionTime": "2026-12-02T10:00:00Z"}""", false)]
    [InlineData("""{"type": "Ready", "status": "True", "reason": "ReconcileSuccess", "lastTransitionTime": "2026-12-02T10:00:00Z"}""", false)]
    [InlineData("""{"type": "Ready!", "status": "True", "reason": "ReconcileSuccess", "message": "", "lastTransitionTime": "2026-12-02T10:00:00Z"}""", false)]
    [InlineData("""{"type": "Ready", "status": "True", "reason": "ReconcileSuccess", "message": "", "lastTransitionTime": "2026-12-02T10:00:00Z", "observedGeneration": -1}""", false)]
    public void The_editor_schema_accepts_what_the_API_server_would_and_refuses_the_rest(string condition, bool valid)
    {
        var status = EditorSchemas.Build(ResourceCatalog.Find("Role")!)["properties"]!["status"]!;
        var schema = JsonSchema.FromText(status.ToJsonString());
        var instance = new JsonObject { ["conditions"] = new JsonArray(JsonNode.Parse(condition)) };

        schema.Evaluate(instance).IsValid.Should().Be(valid);
    }

    [Fact]
    public void A_message_one_over_the_limit_is_refused()
    {
        var status = EditorSchemas.Build(ResourceCatalog.Find("Role")!)["properties"]!["status"]!;
        var schema = JsonSchema.FromText(status.ToJsonString());
        JsonObject Status(int length) => new()
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = "False", ["reason"] = "ReconcileError",
                ["message"] = new string('x', length), ["lastTransitionTime"] = "2026-12-02T10:00:00Z",
            }),
        };

        schema.Evaluate(Status(32768)).IsValid.Should().BeTrue();
        schema.Evaluate(Status(32769)).IsValid.Should().BeFalse();
    }

    private static YamlMappingNode Conditions(string kind) =>
        CrdYaml.Root(CrdYaml.Load(CrdGenerator.Generate(ResourceCatalog.Find(kind)!))).Map("properties").Map("status").Map("properties").Map("conditions");

    /// <summary>A property's keywords but its description, a list as its items joined by commas.</summary>
    private static Dictionary<string, string> Keywords(YamlMappingNode property) =>
        property.Children
            .Where(k => ((YamlScalarNode)k.Key).Value != "description")
            .ToDictionary(
                k => ((YamlScalarNode)k.Key).Value!,
                k => k.Value is YamlSequenceNode list ? string.Join(",", list.Cast<YamlScalarNode>().Select(s => s.Value)) : ((YamlScalarNode)k.Value).Value!);
}
