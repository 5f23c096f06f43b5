using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Reconciler.Core.Schema;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Core.Tests.Schema;

/// <summary>The editor schemas under schemas/ are current, every example file names its schema, and validates against it.</summary>
public sealed partial class EditorSchemasTests
{
    private static readonly string Schemas = Path.Combine(RepositoryRoot.Path, "schemas");

    [Fact]
    public void The_committed_schemas_are_not_stale()
    {
        foreach (var (relative, json) in EditorSchemas.GenerateAll())
        {
            var path = Path.Combine(Schemas, relative);
            File.Exists(path).Should().BeTrue($"schemas/{relative} is missing; run `dotnet run --project src/Reconciler.Cli -- schema --output-dir schemas`");
            File.ReadAllText(path).Should().Be(json, $"schemas/{relative} is stale; run `dotnet run --project src/Reconciler.Cli -- schema --output-dir schemas`");
        }
    }

    public static TheoryData<string> ExampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "examples", "acme-support"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(RepositoryRoot.Path, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Every_example_file_names_its_kinds_schema_in_a_modeline_and_validates_against_it(string file)
    {
        var path = Path.Combine(RepositoryRoot.Path, file);
        var text = File.ReadAllText(path);
        var modeline = Modeline().Match(text.Split('\n')[0]);
        modeline.Success.Should().BeTrue("the first line is the yaml-language-server modeline");
        var schemaPath = Path.GetFullPath(modeline.Groups["path"].Value, Path.GetDirectoryName(path)!);
        File.Exists(schemaPath).Should().BeTrue();
        var schema = JsonSchema.FromFile(schemaPath);

        var documents = Documents(text);

        documents.Should().NotBeEmpty();
        foreach (var document in documents)
        {
            Path.GetFileName(schemaPath).Should().StartWith(document["kind"]!.GetValue<string>().ToLowerInvariant() + "_");
            var result = schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
            result.IsValid.Should().BeTrue(string.Join("; ", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        }
    }

    [Fact]
    public void A_misspelt_field_and_a_wrong_kind_fail_the_schema()
    {
        var schema = JsonSchema.FromFile(Path.Combine(Schemas, "support.reconciler.dev", "officehours_v1alpha1.json"));
        var good = Documents("apiVersion: support.reconciler.dev/v1alpha1\nkind: OfficeHours\nmetadata: {name: x}\nspec: {timezone: UTC, weekly: [{days: [Monday], opens: '08:00', closes: '18:00'}]}\n")[0];
        var typo = Documents("apiVersion: support.reconciler.dev/v1alpha1\nkind: OfficeHours\nmetadata: {name: x}\nspec: {timezone: UTC, weekly: [{days: [Monday], opens: '08:00', close: '18:00'}]}\n")[0];
        var kind = Documents("apiVersion: support.reconciler.dev/v1alpha1\nkind: Agent\nmetadata: {name: x}\nspec: {timezone: UTC}\n")[0];

        schema.Evaluate(good).IsValid.Should().BeTrue();
        schema.Evaluate(typo).IsValid.Should().BeFalse();
        schema.Evaluate(kind).IsValid.Should().BeFalse();
    }

    [GeneratedRegex(@"^# yaml-language-server: \$schema=(?<path>\S+)$")]
    private static partial Regex Modeline();

    private static List<JsonNode> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => ToJson(d.RootNode)!)];
    }

    /// <summary>YAML 1.2 core schema typing of plain scalars (what yaml-language-server applies).</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when s.Value is null or "null" or "~" or "" => null,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when s.Value is "true" or "false" => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException(node.NodeType.ToString()),
    };
}
