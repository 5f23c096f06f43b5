using Reconciler.Core.Resources;
using Reconciler.Core.Schema;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Core.Tests.Schema;

public sealed class CrdGeneratorTests
{
    private const string Regenerate = "crds/ is stale against the resource types; run `dotnet run --project src/Reconciler.Cli -- crds --output-dir crds` and commit the result.";

    private static readonly string CrdDirectory = Path.Combine(RepositoryRoot.Path, "crds");

    public static TheoryData<string> Kinds() => [.. ResourceCatalog.Kinds.Select(k => k.Kind)];

    [Fact]
    public void Crds_CheckedIn_MatchGeneratedByteForByte()
    {
        var generated = CrdGenerator.GenerateAll();
        var expectedFiles = generated.Select(g => g.FileName).Order(StringComparer.Ordinal).ToList();
        var actualFiles = Directory.Exists(CrdDirectory)
            ? Directory.GetFiles(CrdDirectory, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : [];
        actualFiles.Should().Equal(expectedFiles, Regenerate);

        // Listing the stale files, not diffing them, keeps the instruction to regenerate readable.
        var stale = generated
            .Where(g => File.ReadAllText(Path.Combine(CrdDirectory, g.FileName)) != g.Yaml)
            .Select(g => g.FileName)
            .ToList();
        stale.Should().BeEmpty(Regenerate);
    }

    [Fact]
    public void Generate_TwiceInARow_GivesTheSameBytes()
    {
        var first = CrdGenerator.GenerateAll();
        var second = CrdGenerator.GenerateAll();
        second.Should().Equal(first);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Crd_HasNamesGroupVersionAndStatusSubresource(string kind)
    {
        var info = ResourceCatalog.Find(kind)!;
        var crd = Load(info);

        crd.Scalar("apiVersion").Should().Be("apiextensions.k8s.io/v1");
        crd.Scalar("kind").Should().Be("CustomResourceDefinition");
        crd.Map("metadata").Scalar("name").Should().Be($"{info.Plural}.support.reconciler.dev");
        var spec = crd.Map("spec");
        spec.Scalar("group").Should().Be("support.reconciler.dev");
        spec.Scalar("scope").Should().Be("Namespaced");
        var names = spec.Map("names");
        names.Scalar("kind").Should().Be(kind);
        names.Scalar("plural").Should().Be(info.Plural);
        names.Scalar("singular").Should().Be(kind.ToLowerInvariant());
        names.Strings("shortNames").Should().Equal(info.ShortNames);
        names.Strings("categories").Should().Equal("reconciler");

        var version = Version(crd);
        version.Scalar("name").Should().Be("v1alpha1");
        version.Scalar("served").Should().Be("true");
        version.Scalar("storage").Should().Be("true");
        version.Map("subresources").Map("status").Children.Should().BeEmpty();
        var root = Root(crd);
        root.Map("properties").Map("metadata").Scalar("type").Should().Be("object");
        root.Map("properties").Map("metadata").Children.Should().HaveCount(1, "metadata is left to the API server");
        root.Map("properties").Map("status").Scalar("type").Should().Be("object");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schema_IsStructural(string kind)
    {
        var problems = new List<string>();
        Walk(Root(Load(ResourceCatalog.Find(kind)!)), "openAPIV3Schema", isProperty: false, problems);
        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PrinterColumns_StartWithReadyAndSynced_AndEndWithAge(string kind)
    {
        var columns = Columns(Load(ResourceCatalog.Find(kind)!));
        columns.Select(c => c.Name).Should().StartWith(["READY", "SYNCED"]).And.EndWith("AGE");
        columns[0].JsonPath.Should().Be(".status.conditions[?(@.type==\"Ready\")].status");
        columns[1].JsonPath.Should().Be(".status.conditions[?(@.type==\"Synced\")].status");
        columns[^1].Should().Be(("AGE", "date", ".metadata.creationTimestamp"));
    }

    [Fact]
    public void AgentPrinterColumns_ShowEmailRoleLevelActive()
    {
        var columns = Columns(Load(ResourceCatalog.Get<Agent>()));
        columns.Should().Contain(("EMAIL", "string", ".spec.email"))
            .And.Contain(("ROLE", "string", ".spec.roleRef.name"))
            .And.Contain(("LEVEL", "string", ".spec.level"))
            .And.Contain(("ACTIVE", "boolean", ".spec.active"));
    }

    [Fact]
    public void SsoProviderSpec_CarriesCelRulesForFieldsRequiredByTypeAndEnforcement()
    {
        var spec = Root(Load(ResourceCatalog.Get<SsoProvider>())).Map("properties").Map("spec");
        var rules = ((YamlSequenceNode)spec.Children[new YamlScalarNode("x-kubernetes-validations")])
            .Cast<YamlMappingNode>()
            .Select(r => (Rule: r.Scalar("rule"), Message: r.Scalar("message"), FieldPath: r.Scalar("fieldPath")))
            .ToList();

        rules.Should().HaveCount(7);
        rules.Should().Contain(r => r.Rule!.Contains("has(self.oidc)", StringComparison.Ordinal) && r.FieldPath == ".oidc");
        rules.Should().Contain(r => r.Rule!.Contains("has(self.saml)", StringComparison.Ordinal) && r.FieldPath == ".saml");
        rules.Should().Contain(r => r.Rule!.Contains("has(self.jwt)", StringComparison.Ordinal) && r.FieldPath == ".jwt");
        rules.Should().Contain(r => r.Rule!.Contains("has(self.oidc.issuerUrl)", StringComparison.Ordinal));
        rules.Where(r => r.FieldPath == ".enforced").Should().HaveCount(2);
        rules.Should().OnlyContain(r => !string.IsNullOrEmpty(r.Message));
    }

    [Fact]
    public void AgentSpec_RendersAnnotationsEnumsDefaultsAndRequired()
    {
        var spec = Root(Load(ResourceCatalog.Get<Agent>())).Map("properties").Map("spec");
        spec.Strings("required").Should().Equal("displayName", "email", "roleRef");
        var properties = spec.Map("properties");
        properties.Map("level").Strings("enum").Should().Equal("L1", "L2", "L3", "Expert");
        properties.Map("level").Scalar("default").Should().Be("L1");
        properties.Map("maxConcurrentChats").Scalar("minimum").Should().Be("1");
        properties.Map("maxConcurrentChats").Scalar("maximum").Should().Be("50");
        properties.Map("email").Scalar("maxLength").Should().Be("254");
        properties.Map("email").Scalar("format").Should().Be("email");
        properties.Map("capabilities").Map("items").Strings("enum").Should().Equal("Live", "Chat", "Search", "Reports", "Engagement");
        properties.Map("supervisorRef").Map("properties").Map("name").Scalar("type").Should().Be("string");
    }

    [Fact]
    public void StatusSchemas_RenderTimestampsAsDateTime_AndAgentStatusIncludesTheBaseFields()
    {
        var status = Root(Load(ResourceCatalog.Get<Agent>())).Map("properties").Map("status").Map("properties");
        status.Map("lastSyncedAt").Scalar("format").Should().Be("date-time");
        status.Map("activatedAt").Scalar("format").Should().Be("date-time");
        status.Map("conditions").Map("items").Map("properties").Map("lastTransitionTime").Scalar("format").Should().Be("date-time");
        status.Children.Keys.Select(k => ((YamlScalarNode)k).Value)
            .Should().Contain(["observedGeneration", "conditions", "id", "presence"]);
    }

    [Fact]
    public void OfficeHoursSpec_RendersPatternsAndMinItems()
    {
        var weekly = Root(Load(ResourceCatalog.Get<OfficeHours>())).Map("properties").Map("spec").Map("properties").Map("weekly").Map("items");
        weekly.Map("properties").Map("opens").Scalar("pattern").Should().NotBeNullOrEmpty();
        weekly.Map("properties").Map("days").Scalar("minItems").Should().Be("1");
        weekly.Map("properties").Map("days").Map("items").Strings("enum").Should().Contain("Monday");
    }

    private static readonly HashSet<string> Types = ["object", "array", "string", "integer", "number", "boolean"];

    private static void Walk(YamlMappingNode node, string path, bool isProperty, List<string> problems)
    {
        foreach (var forbidden in new[] { "$ref", "allOf", "oneOf", "anyOf", "definitions", "nullable" })
        {
            if (node.Children.ContainsKey(new YamlScalarNode(forbidden)))
                problems.Add($"{path}: has {forbidden}");
        }

        var type = node.Scalar("type");
        var open = node.Scalar("x-kubernetes-preserve-unknown-fields") == "true" || node.Scalar("x-kubernetes-int-or-string") == "true";
        if (type is null && !open)
            problems.Add($"{path}: no type");
        else if (type is not null && !Types.Contains(type))
            problems.Add($"{path}: type '{type}' is not a single structural type");

        if (isProperty && string.IsNullOrWhiteSpace(node.Scalar("description")) && !path.EndsWith(".metadata", StringComparison.Ordinal))
            problems.Add($"{path}: no description");

        if (node.Children.TryGetValue(new YamlScalarNode("properties"), out var properties))
        {
            if (node.Children.ContainsKey(new YamlScalarNode("additionalProperties")))
                problems.Add($"{path}: both properties and additionalProperties");
            foreach (var (key, value) in ((YamlMappingNode)properties).Children)
                Walk((YamlMappingNode)value, $"{path}.{((YamlScalarNode)key).Value}", isProperty: true, problems);
        }

        if (node.Children.TryGetValue(new YamlScalarNode("items"), out var items))
            Walk((YamlMappingNode)items, path + "[]", isProperty: false, problems);
        else if (type == "array")
            problems.Add($"{path}: array without items");

        if (node.Children.TryGetValue(new YamlScalarNode("additionalProperties"), out var additional) && additional is YamlMappingNode map)
            Walk(map, path + "{}", isProperty: false, problems);
    }

    private static List<(string Name, string Type, string JsonPath)> Columns(YamlMappingNode crd) =>
        [.. ((YamlSequenceNode)Version(crd).Children[new YamlScalarNode("additionalPrinterColumns")])
            .Cast<YamlMappingNode>()
            .Select(c => (c.Scalar("name")!, c.Scalar("type")!, c.Scalar("jsonPath")!))];

    private static YamlMappingNode Version(YamlMappingNode crd) => CrdYaml.Version(crd);

    private static YamlMappingNode Root(YamlMappingNode crd) => CrdYaml.Root(crd);

    private static YamlMappingNode Load(ResourceKindInfo kind) => CrdYaml.Load(CrdGenerator.Generate(kind));
}

/// <summary>Terse navigation of YAML mappings for assertions.</summary>
internal static class YamlNodeExtensions
{
    public static YamlMappingNode Map(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? (YamlMappingNode)child
            : throw new KeyNotFoundException($"no '{key}' in mapping at {node.Start}");

    public static string? Scalar(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;

    public static IReadOnlyList<string> Strings(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child)
            ? [.. ((YamlSequenceNode)child).Cast<YamlScalarNode>().Select(s => s.Value!)]
            : [];
}
