using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Validation.Rules;

/// <summary>A natural key held in a spec field is unique per kind, compared as the platform compares it; one table for every keyed kind.</summary>
public sealed class UniqueNaturalKeyRuleTests
{
    private static string Template(string name, string shortcut) => Doc("ReplyTemplate", name, $"shortcut: {shortcut}\ntitle: {name}\ntexts: {{en: Hi}}");

    /// <summary>Per keyed kind: two resources whose keys collide (the second as written), and the code reported.</summary>
    public static TheoryData<string, string, string, string, string> Collisions => new()
    {
        { "Agent", Agent("a", email: "same@acme.example"), Agent("b", email: "same@acme.example"), "same@acme.example", DiagnosticCodes.DuplicateEmail },
        { "Agent", Agent("a", email: "Same@ACME.example"), Agent("b", email: "same@acme.example"), "same@acme.example", DiagnosticCodes.DuplicateEmail },
        { "ReplyTemplate", Template("a", "/refund"), Template("b", "/refund"), "/refund", DiagnosticCodes.DuplicateShortcut },
    };

    [Theory]
    [MemberData(nameof(Collisions))]
    public void A_second_resource_with_the_same_key_is_reported_at_its_key_field_naming_the_first(string kind, string first, string second, string key, string code)
    {
        var description = ResourceCatalog.Find(kind)!.Description;
        var yaml = Background + first + second;
        var keyPath = description.KeyPath!;
        var keyField = keyPath[(keyPath.LastIndexOf('.') + 1)..];
        var lines = yaml.Split('\n');
        var secondStart = Background.Split('\n').Length - 1 + first.Split('\n').Length - 1;
        var line = Array.FindIndex(lines, secondStart, l => l.TrimStart().StartsWith(keyField + ":", StringComparison.Ordinal));
        var firstLine = Array.FindIndex(lines, Background.Split('\n').Length - 1, l => l.TrimStart().StartsWith(keyField + ":", StringComparison.Ordinal));

        var error = ManifestValidator.ValidateYaml(yaml, "test.yaml").Errors().Should().ContainSingle(d => d.Code == code).Subject;

        (error.File, error.Line, error.Column, error.Path).Should().Be(("test.yaml", line + 1, lines[line].IndexOf(key, StringComparison.OrdinalIgnoreCase) + 1, keyPath));
        error.Message.Should().Contain($"{description.Noun} \"a\" (test.yaml:{firstLine + 1}:");
        DiagnosticCodes.DuplicateNaturalKey(keyPath).Should().Be(code);
    }

    [Fact]
    public void Every_kind_keyed_by_a_spec_field_has_a_row_in_the_table() =>
        Collisions.Select(row => (string)row[0]).Distinct().Should().BeEquivalentTo(
            ResourceCatalog.Kinds.Where(k => k.Description.KeyPath is not null).Select(k => k.Kind));

    [Fact]
    public void Only_a_key_the_platform_compares_ignoring_case_collides_across_case()
    {
        AgentKind.Description.KeyIgnoresCase.Should().BeTrue();
        ReplyTemplateKind.Description.KeyIgnoresCase.Should().BeFalse();
        Validate(Agent("a", email: "x@acme.example"), Agent("b", email: "y@acme.example"), Template("a", "/a"), Template("b", "/b"))
            .Errors().Should().BeEmpty();
    }

    [Fact]
    public void The_natural_key_of_a_case_insensitive_field_is_lower_cased() =>
        AgentKind.Description.NaturalKey(Load(Agent("a", email: "Ana@ACME.example")).Resources.Single()).Should().Be("ana@acme.example");
}
