using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>
/// The CLI takes a plain scalar as text exactly when go-yaml does: checked against the real kubectl (which reads
/// manifests with go-yaml, offline with <c>label --local</c>), so a file the CLI applies is a file the cluster reads the same.
/// </summary>
public sealed class GoYamlScalarsTests
{
    // Scalars on the edges of both resolvers: YAML 1.1's words in every case go-yaml spells, and the numbers Go's
    // strconv takes that the core schema leaves as text (underscores, upper-case and signed prefixes, binary).
    private static readonly string[] Edges =
    [
        "y", "Y", "yes", "Yes", "YES", "yEs", "n", "N", "no", "No", "NO", "nO", "on", "On", "ON", "oN", "off", "Off", "OFF", "oFF",
        "true", "True", "tRUE", "false", "FALSE", "null", "Null", "~",
        "1_000", "1__0", "_1", "1_", "0b101", "-0b101", "0B1", "0b2", "0b", "0x1F", "0X1F", "-0x1F", "+0x1F", "0x", "0o17", "0O17",
        "+0o17", "0o8", "08", "0777", "1e3", "1E3", "1.", ".5", "+.5", ".", "+", "1.2.3", "1:30", "2001-12-14", "1_0.5", "0x_1F",
        "2e969", "-1e400", "1e308", "1e-400", "._036", ".5_0", "._", ".5__0", ".5e1_0", "+_1", "-.5", "noon", "yesterday", "onboarding", "offline", "N/A", "y2k", "0.1.0", "1e", "e1", "+-1", "1_a",
    ];

    [KubectlFact]
    public void A_plain_scalar_go_yaml_reads_as_text_is_accepted_and_any_other_is_refused_as_kubectl_reads_it() =>
        AssertAgreesWithKubectl(Edges);

    [KubectlFact]
    public void Random_plain_scalars_are_read_as_kubectl_reads_them()
    {
        // Characters that make numbers, prefixes and the boolean words, never YAML syntax: every value stays one plain scalar.
        var scalar = Gen.Char["0123456789+._xXoObBeEyYnNsSfFtTuUrR"].Array[1, 6].Select(chars => new string(chars))
            .Where(text => text[0] != '-');
        scalar.Array[300].Sample(values => AssertAgreesWithKubectl(values), iter: 3, threads: 1);
    }

    [KubectlFact]
    public void A_plain_scalar_is_a_boolean_where_one_is_expected_exactly_when_kubectl_sends_one_and_the_same()
    {
        var read = Kubectl.Read([.. Edges.Select((value, i) => Agent($"a{i}", $"active: {value}"))]);

        var disagreements = new List<string>();
        for (var i = 0; i < Edges.Length; i++)
        {
            var sent = read[$"a{i}"]["spec"]!["active"];
            // A null is the field left out, which the schema's default (true) fills in the cluster as the CLI does.
            bool? kubectlSends = sent is null ? true : sent is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;
            var report = Validate(Agent("a", $"active: {Edges[i]}"));
            bool? loaded = report.IsValid ? report.Resources.OfType<Resources.Agent>().Single(agent => agent.Metadata.Name == "a").Spec.Active : null;
            if (loaded != kubectlSends)
                disagreements.Add($"{Edges[i]}: kubectl sends {sent?.ToJsonString() ?? "null"}, the CLI reads {loaded?.ToString() ?? "an error"}");
        }

        disagreements.Should().BeEmpty();
    }

    [KubectlFact]
    public void A_plain_scalar_in_an_integer_field_is_the_whole_number_kubectl_sends_or_is_refused() =>
        AssertIntegersAgreeWithKubectl([.. Edges, .. IntegerEdges]);

    [KubectlFact]
    public void Random_plain_scalars_in_an_integer_field_are_read_as_kubectl_reads_them()
    {
        var scalar = Gen.Char["0123456789+-._xXoObBeE"].Array[1, 6].Select(chars => new string(chars))
            .Where(text => text[0] != '-');
        scalar.Array[300].Sample(values => AssertIntegersAgreeWithKubectl(values), iter: 3, threads: 1);
    }

    [KubectlFact]
    public void A_plain_key_of_a_free_form_map_is_accepted_exactly_when_kubectl_sends_it_as_written()
    {
        static string Annotated(int i, string key) =>
            $"apiVersion: support.reconciler.dev/v1alpha1\nkind: Role\nmetadata:\n  name: r{i}\n  annotations:\n    {key}: v\nspec:\n  displayName: R\n";
        // Written keys and the text the CLI takes from them: the plain edges, and tagged keys, which go-yaml resolves by their tag.
        (string Written, string Text)[] keys =
        [
            .. Edges.Select(edge => (edge, edge)),
            ("12345678901234567890", "12345678901234567890"), ("99999999999999999999", "99999999999999999999"), ("-0", "-0"),
            ("!!int \"010\"", "010"), ("!!int \"8\"", "8"), ("!!bool \"yes\"", "yes"), ("!!bool \"true\"", "true"), ("!!str no", "no"),
            ("! yes", "yes"), ("!!binary aGVsbG8=", "aGVsbG8="), ("!!float \"1.5\"", "1.5"), ("0.1", "0.1"), ("-2.25", "-2.25"), ("1.10", "1.10"), ("0.00001", "0.00001"), ("1234567.5", "1234567.5"), ("123456.7", "123456.7"), ("0.3333333333", "0.3333333333"),
        ];
        var read = Kubectl.Read([.. keys.Select((key, i) => Annotated(i, key.Written))]);

        var disagreements = new List<string>();
        for (var i = 0; i < keys.Length; i++)
        {
            // A document kubectl cannot read (a null key) is missing.
            var sent = read.GetValueOrDefault($"r{i}")?["metadata"]!["annotations"]!.AsObject() ?? [];
            var kubectlKeepsIt = sent.Count == 1 && sent.Single().Key == keys[i].Text;
            var accepted = ManifestValidator.ValidateYaml(Annotated(0, keys[i].Written), "test.yaml").IsValid;
            if (accepted != kubectlKeepsIt)
                disagreements.Add($"{keys[i].Written}: kubectl sends the key {string.Join(", ", sent.Select(p => p.Key))}, the CLI {(accepted ? "keeps it" : "refuses it")}");
        }

        disagreements.Should().BeEmpty();
    }

    // Integer spellings: every notation go-yaml reads, leading zeros (octal, or a float when not octal), whole and
    // fractional floats, too large for the API server, and near misses that stay text.
    private static readonly string[] IntegerEdges =
    [
        "7", "+7", "0x10", "0X1F", "0o17", "0O17", "0b101", "0B11", "1_0", "0_10", "010", "007", "08", "09", "0777", "5.0", "5.", "1e1", "1E1",
        ".5e1", "5.5", "1e100", "9007199254740993e0", "0x", "1_0.5", "12.", "0x7FFFFFFFFFFFFFFF", "-0", "-5", "0x1_0", "1__0", "_1",
    ];

    /// <summary>
    /// In <c>maxConcurrentChats</c> (1 to 50) the CLI reads the number kubectl sends when it is whole and in range, and
    /// refuses anything else (text, a fraction, out of range), which the API server refuses too.
    /// </summary>
    private static void AssertIntegersAgreeWithKubectl(IReadOnlyList<string> values)
    {
        var read = Kubectl.Read([.. values.Select((value, i) => Agent($"a{i}", $"maxConcurrentChats: {value}"))]);

        var disagreements = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            // Documents kubectl cannot read, and a null (the field left out), say nothing about integers.
            if (read.GetValueOrDefault($"a{i}")?["spec"]!["maxConcurrentChats"] is not { } sent)
                continue;
            long? kubectlSends = sent is JsonValue number && number.GetValueKind() == System.Text.Json.JsonValueKind.Number
                && decimal.TryParse(number.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && value == decimal.Truncate(value) && value is >= 1 and <= 50 ? (long)value : null;
            var report = Validate(Agent("a", $"maxConcurrentChats: {values[i]}"));
            long? loaded = report.IsValid ? report.Resources.OfType<Resources.Agent>().Single(agent => agent.Metadata.Name == "a").Spec.MaxConcurrentChats : null;
            if (loaded != kubectlSends)
                disagreements.Add($"{values[i]}: kubectl sends {sent.ToJsonString()}, the CLI reads {loaded?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "an error"}");
        }

        disagreements.Should().BeEmpty();
    }

    private static void AssertAgreesWithKubectl(IReadOnlyList<string> values)
    {
        var read = Kubectl.Read([.. values.Select((value, i) => Doc("Role", $"r{i}", $"displayName: {value}"))]);

        var disagreements = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            var sent = read[$"r{i}"]["spec"]!["displayName"];
            var kubectlTakesText = sent is JsonValue value && value.TryGetValue<string>(out var text) && text == values[i];
            var accepted = ManifestValidator.ValidateYaml(Doc("Role", "r", $"displayName: {values[i]}"), "test.yaml").IsValid;
            if (accepted != kubectlTakesText)
                disagreements.Add($"{values[i]}: kubectl sends {sent?.ToJsonString() ?? "null"}, the CLI {(accepted ? "accepts it as text" : "refuses it")}");
        }

        disagreements.Should().BeEmpty();
    }

    [Theory]
    [InlineData("yes", "the boolean true")]
    [InlineData("OFF", "the boolean false")]
    [InlineData("0b11", "a number")]
    [InlineData("1_000", "a number")]
    [InlineData("-0X1f", "a number")]
    [InlineData("noon", null)]
    [InlineData("1.2.3", null)]
    [InlineData("", null)]
    public void NonTextReading_names_what_go_yaml_reads_instead(string value, string? reading) =>
        GoYamlScalars.NonTextReading(value).Should().Be(reading);
}
