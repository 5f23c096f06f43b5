using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Tests.Mapping;

/// <summary>The kinds' comparison rules and desired bodies are held to the contract's DTOs.</summary>
public sealed class WireShapeTests
{
    /// <summary>Fields the platform maintains itself: in the DTO, never in a desired body.</summary>
    private static readonly HashSet<string> ServerMaintained =
        ["id", "key", "version", "labels", "createdAt", "updatedAt", "presence", "activatedAt", "deactivatedAt", "builtIn", "oidc.clientSecretSet", "oidc.clientSecretUpdatedAt",
         "connection.state", "connection.message", "connection.since",
         "pushNotifications.serviceAccountKeySet", "pushNotifications.serviceAccountKeyUpdatedAt", "helpdeskLinks", "licences.seatsBought", "licences.seatsUsed",
         "invitation.state", "invitation.sentTo", "invitation.invitedAt", "invitation.acceptedAt"];

    public static TheoryData<string> Kinds() => [.. KindMappers.InDependencyOrder.Select(m => m.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryRule_NamesAFieldOfTheKindsDto(string kind)
    {
        var mapper = KindMappers.ForKind(kind);

        WireShape.Mismatches(mapper.Rules, mapper.WireType).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryDtoField_IsComparedOrMaintainedByThePlatform(string kind)
    {
        var mapper = KindMappers.ForKind(kind);

        var uncompared = DtoFields(mapper.WireType, "").Except(RuleFields(mapper.Rules, "")).Except(ServerMaintained);

        uncompared.Should().BeEmpty("a field the manifest sets but no rule compares would never be planned");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WriteOnlyRules_AreExactlyTheContractsWriteOnlyFields(string kind)
    {
        var mapper = KindMappers.ForKind(kind);

        WriteOnlyRuleFields(mapper.Rules, "").Should().BeEquivalentTo(WriteOnlyFields.Of(mapper.WireType),
            "the platform masks and strips the fields the contract marks [WriteOnly]; the planner must never compare them");
    }

    [Fact]
    public void AMisspeltRule_IsReportedWithTheFieldsTheDtoHas()
    {
        ComparisonRule[] rules =
        [
            new("emial"),
            new("tags", ComparisonShape.KeyedList) { KeyField = "name", Children = [new("name"), new("colour")] },
        ];

        var problems = WireShape.Mismatches(rules, typeof(TagGroupDto));

        problems.Should().HaveCount(2);
        problems[0].Should().StartWith("emial is not a field of TagGroupDto (").And.Contain("displayName");
        problems[1].Should().StartWith("tags.colour is not a field of TagDto (").And.Contain("color");
    }

    [Fact]
    public void A_field_with_two_rules_is_reported()
    {
        ComparisonRule[] rules = [new("email"), new("displayName"), new("email", ComparisonShape.CaseInsensitive)];

        WireShape.Mismatches(rules, typeof(AgentDto)).Should().Equal("email has more than one rule");
    }

    [Fact]
    public void A_map_field_must_be_compared_as_a_map_and_only_a_map_field_can_be()
    {
        ComparisonRule[] rules = [new("texts"), new("title", ComparisonShape.Map)];

        var problems = WireShape.Mismatches(rules, typeof(ReplyTemplateDto));

        problems.Should().Equal(
            "texts is a map; its rule's shape must be Map (diffed entry by entry)",
            "title is not a map (String); only a map's rule has the shape Map");
    }

    [Fact]
    public void DesiredBody_HoldsExactlyTheComparedFields_UnsetOnesAsNull()
    {
        var agent = new Agent
        {
            Metadata = new() { Name = "ada" },
            Spec = new AgentSpec { Email = "ada@acme.example", DisplayName = "Ada", RoleRef = "agent" },
        };
        var context = new MappingContext(new IdsAreNames(), new SecretValues(new Dictionary<SecretKeyRef, SecretLookup>()), IncludeSecretValues: false);

        var body = KindMappers.For(agent).Map(agent, context).Fields;

        body.Select(p => p.Key).Should().Equal(AgentKind.Description.Mapper!.Rules.Select(r => r.Name));
        body["mobile"].Should().BeNull();
        body.ContainsKey("mobile").Should().BeTrue("a replace clears what the manifest does not set");
        body["roleId"]!.GetValue<string>().Should().Be("agent");
        body["maxConcurrentChats"]!.GetValue<int>().Should().Be(3);
    }

    [Fact]
    public void The_body_of_every_example_resource_holds_its_dto_as_the_serializer_writes_it()
    {
        var resources = Reconciler.Core.Manifests.ManifestLoader.Load([Path.Combine(RepositoryRoot.Path, "examples", "acme-support")]).Resources.Where(KindMappers.Manages).ToList();
        foreach (var resource in resources)
        {
            var mapper = KindMappers.For(resource);
            var desired = mapper.Map(resource, new MappingContext(new IdsAreNames(), SecretValues.Placeholders(mapper.SecretReferences(resource)), IncludeSecretValues: true));
            var read = desired.Fields.Deserialize(mapper.WireType, WireJson.Options);

            JsonNode.DeepEquals(JsonSerializer.SerializeToNode(read, mapper.WireType, WireJson.Options), JsonSerializer.SerializeToNode(desired.Wire, mapper.WireType, WireJson.Options))
                .Should().BeTrue($"{resource.Id}'s body {desired.Fields.ToJsonString()} holds its DTO");
        }

        resources.Select(r => r.Kind).Distinct().Should().HaveCount(KindMappers.InDependencyOrder.Count, "the example has every kind");
    }

    private static IEnumerable<string> DtoFields(Type type, string prefix) =>
        WireShape.PropertiesOf(type).SelectMany(p =>
        {
            var info = WireJson.Options.GetTypeInfo(Nullable.GetUnderlyingType(p.Value) ?? p.Value);
            return info.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object && p.Value.Namespace == typeof(WireObject).Namespace
                ? DtoFields(p.Value, $"{prefix}{p.Key}.")
                : [prefix + p.Key];
        });

    private static IEnumerable<string> RuleFields(IEnumerable<ComparisonRule> rules, string prefix) =>
        rules.SelectMany(r => r.Shape == ComparisonShape.Object ? RuleFields(r.Children, $"{prefix}{r.Name}.") : [prefix + r.Name]);

    private static IEnumerable<string> WriteOnlyRuleFields(IEnumerable<ComparisonRule> rules, string prefix) =>
        rules.SelectMany(r => r.Shape == ComparisonShape.Object ? WriteOnlyRuleFields(r.Children, $"{prefix}{r.Name}.") : r.WriteOnly ? [prefix + r.Name] : []);

    private sealed class IdsAreNames : IReferenceResolver
    {
        public ReferenceLookup Resolve(ResourceId target) => ReferenceLookup.Of(target.Name);
    }
}
