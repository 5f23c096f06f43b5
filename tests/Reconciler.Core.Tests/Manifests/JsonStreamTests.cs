using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>A file of JSON objects one after another (<c>jq -c '.items[]'</c>) is read object by object, as kubectl reads it.</summary>
public sealed class JsonStreamTests
{
    private static string Role(string name, string extra = "") =>
        $$$"""{"apiVersion": "support.reconciler.dev/v1alpha1", "kind": "Role", "metadata": {"name": "{{{name}}}"}, "spec": {"displayName": "R {}[]\" {{{name}}}"{{{extra}}}}}""";

    [Fact]
    public void Objects_one_per_line_are_read_each_as_a_document_as_kubectl_reads_them()
    {
        var file = Role("a") + "\n" + Role("b") + "\n" + Role("c") + "\n";

        var report = ManifestValidator.ValidateYaml(file, "roles.json");

        report.IsValid.Should().BeTrue(string.Join("; ", report.Diagnostics));
        report.Resources.Select(r => r.Metadata.Name).Should().Equal("a", "b", "c");
        report.Resources.OfType<Resources.Role>().Last().Spec.DisplayName.Should().Be("R {}[]\" c");
        if (Kubectl.Path is not null)
            Kubectl.ReadFile(file).Read.Keys.Should().BeEquivalentTo("a", "b", "c");
    }

    [Fact]
    public void Pretty_printed_objects_one_after_another_are_read_too()
    {
        var pretty = System.Text.Json.Nodes.JsonNode.Parse(Role("b"))!.ToJsonString(new() { WriteIndented = true });

        var report = ManifestValidator.ValidateYaml(Role("a") + pretty + "\n", "roles.json");

        report.Resources.Select(r => r.Metadata.Name).Should().Equal("a", "b");
    }

    [Fact]
    public void A_problem_in_a_later_object_is_placed_where_it_stands_in_the_file()
    {
        var file = Role("a") + "\n" + Role("b") + "\n  " + Role("c", ", \"colour\": \"red\"") + "\n";

        var error = ManifestValidator.ValidateYaml(file, "roles.json").Diagnostics.Single();

        var column = ("  " + Role("c", ", \"colour\": \"red\"")).IndexOf("\"colour\"", StringComparison.Ordinal) + 1;
        (error.Line, error.Column, error.Path).Should().Be((3, column, "spec.colour"));
    }

    // A file that starts with { is JSON to kubectl, whose decoder refuses what YAML's flow style takes: the CLI reads
    // such a file exactly when kubectl does (and the rest as the block and flow YAML it is, in other files).
    public static TheoryData<string, string> FilesStartingWithABrace => new()
    {
        { "JSON", Role("a") },
        { "JSON objects one after another", Role("a") + "\n" + Role("b") },
        { "a number in JSON's notation", Role("a").Replace("}}", "}, \"rank\": 5.0}", StringComparison.Ordinal) },
        { "an octal-looking number", Role("a").Replace("\"metadata\"", "\"n\": 010, \"metadata\"", StringComparison.Ordinal) },
        { "a hexadecimal number", Role("a").Replace("\"metadata\"", "\"n\": 0x10, \"metadata\"", StringComparison.Ordinal) },
        { "a plus sign", Role("a").Replace("\"metadata\"", "\"n\": +7, \"metadata\"", StringComparison.Ordinal) },
        { "an underscore in a number", Role("a").Replace("\"metadata\"", "\"n\": 1_0, \"metadata\"", StringComparison.Ordinal) },
        { "a plain key (YAML's flow style)", "{apiVersion: support.reconciler.dev/v1alpha1, kind: Role, metadata: {name: a}, spec: {displayName: R}}" },
        { "a single-quoted string", Role("a").Replace("\"R {}", "'R' , \"x\": \"R {}", StringComparison.Ordinal) },
        { "a comment", Role("a") + " # the role" },
        { "a trailing comma", Role("a").Replace("}}", "},}", StringComparison.Ordinal) },
        { "a document separator after the object", Role("a") + "\n---\n" + Role("b") },
    };

    [KubectlTheory]
    [MemberData(nameof(FilesStartingWithABrace))]
    public void A_file_that_starts_with_a_brace_is_read_exactly_when_kubectl_reads_it(string why, string file)
    {
        var kubectlReadsIt = Kubectl.ReadFile(file).Whole;

        var errors = ManifestValidator.ValidateYaml(file, "roles.json").Diagnostics.Where(d => d.Code is DiagnosticCodes.YamlSyntax).ToList();

        errors.Should().HaveCount(kubectlReadsIt ? 0 : 1, why);
    }

    [Fact]
    public void A_file_that_starts_with_a_brace_and_is_not_JSON_says_where_and_why()
    {
        var file = Role("a") + "\n" + Role("b").Replace("\"metadata\"", "\"n\": 0x10, \"metadata\"", StringComparison.Ordinal);

        var error = ManifestValidator.ValidateYaml(file, "roles.json").Diagnostics.Single();

        // At the x of 0x10, inserted where "metadata" stands in the second object.
        (error.Code, error.Line, error.Column).Should().Be((DiagnosticCodes.YamlSyntax, 2, Role("b").IndexOf("\"metadata\"", StringComparison.Ordinal) + "\"n\": 0x".Length));
        error.Message.Should().Be("kubectl reads a file that starts with { as JSON, and this is not JSON: 'x' is an invalid end of a number. Expected a delimiter.");
    }

    [Fact]
    public void A_syntax_error_in_a_later_object_is_placed_on_its_line()
    {
        var file = Role("a") + "\n" + "{\"apiVersion\": \"support.reconciler.dev/v1alpha1\",\n \"kind\": \"Role\" \"metadata\": {}}\n";

        var error = ManifestValidator.ValidateYaml(file, "roles.json").Diagnostics.Single();

        (error.Code, error.Line).Should().Be((DiagnosticCodes.YamlSyntax, 3));
    }

    [Theory]
    [InlineData("{}", null)]
    [InlineData("{} {}", "0-2,3-5")]
    [InlineData(" {\"a\": \"}\"}\n{\"b\": [1, {\"c\": \"\\\"{\"}]}", "1-11,12-36")]
    [InlineData("{} []", null)]
    [InlineData("{} {", null)]
    [InlineData("{}\n---\n{}", null)]
    public void Objects_are_found_by_their_braces_outside_strings(string text, string? expected) =>
        (JsonStream.Objects(text) is { } objects ? string.Join(",", objects.Select(o => $"{o.Start}-{o.End}")) : null).Should().Be(expected);
}
