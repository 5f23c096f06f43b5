using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using Reconciler.Core.Engine;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Core.Tests.Engine;

/// <summary>
/// Text values in written manifests (export, import) read back as they were by any YAML reader, go-yaml's rules
/// included: kubectl, kustomize, Argo CD and Flux read the files with it.
/// </summary>
public sealed partial class ManifestWriterTests
{
    private static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.String),
        (3, Gen.String[Gen.Char["aZ0 :#'\"\\-\t\r\n\u0000\u0001\u007F\u0085\u00A0\u2028\u2029\uFEFF\uFFFE\uFFFF\uD83D\uDE00\uDC00é"], 0, 40]),
        (1, Gen.OneOf<string>("no", "Yes", "ON", "null", "~", "", " lead", "0x1F", "1e3", "12:30", "- x", "#x", "@x", "a: b")));

    public static TheoryData<string, string> Written => new()
    {
        { "Ana Souza", "Ana Souza" },
        { "no", "\"no\"" },
        { "0123", "\"0123\"" },
        { "Ana 🌟 \"Lead\"", "\"Ana 🌟 \\\"Lead\\\"\"" },
        { "back\\slash", "\"back\\\\slash\"" },
        { "line\nbreak\ttab\rreturn", "\"line\\nbreak\\ttab\\rreturn\"" },
        { "nul\u0000del\u007Fnel\u0085", "\"nul\\u0000del\\u007Fnel\\u0085\"" },
        { "ls\u2028ps\u2029bom\uFEFF", "\"ls\\u2028ps\\u2029bom\\uFEFF\"" },
        { "not a character\uFFFE", "\"not a character\\uFFFE\"" },
    };

    [Theory]
    [MemberData(nameof(Written))]
    public void A_text_value_is_written_plain_when_unambiguous_else_quoted_with_escapes_go_yaml_reads(string value, string expected) =>
        ManifestWriter.Scalar(JsonValue.Create(value)).Should().Be(expected);

    [Fact]
    public void Half_a_surrogate_pair_is_written_as_the_replacement_character_as_utf8_would() =>
        ManifestWriter.Scalar(JsonValue.Create("half a pair \uD83D")).Should().Be("\"half a pair \\uFFFD\"");

    [Fact]
    public void Every_text_value_reads_back_as_written_with_no_escape_or_raw_character_go_yaml_refuses()
    {
        Text.Sample(value =>
        {
            var written = ManifestWriter.Scalar(JsonValue.Create(value));

            HalfPairEscape().IsMatch(written).Should().BeFalse("go-yaml refuses a \\u escape of half a surrogate pair: {0}", written);
            written.Where(c => !IsWrittenRaw(c)).Should().BeEmpty("go-yaml refuses or folds these characters written raw: {0}", written);
            ReadBack(written).Should().Be(AsUtf8WouldWrite(value));
        }, iter: 2_000);
    }

    [Theory]
    [InlineData("displayName", "displayName")]
    [InlineData("pt-BR", "pt-BR")]
    [InlineData("app.kubernetes.io/name", "app.kubernetes.io/name")]
    [InlineData("no", "\"no\"")]
    [InlineData("On", "\"On\"")]
    [InlineData("1_000", "\"1_000\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("#x", "\"#x\"")]
    public void A_key_is_written_plain_when_go_yaml_reads_it_back_as_the_same_text_else_quoted(string key, string expected) =>
        ManifestWriter.Key(key).Should().Be(expected);

    [Fact]
    public void Every_key_reads_back_as_written()
    {
        Text.Where(key => key.Length > 0).Sample(key =>
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(ManifestWriter.Key(key) + ": v\n"));
            ((YamlScalarNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children.Single().Key).Value.Should().Be(AsUtf8WouldWrite(key));
        }, iter: 2_000);
    }

    private static string ReadBack(string scalar)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader("value: " + scalar + "\n"));
        return ((YamlScalarNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("value")]).Value!;
    }

    /// <summary>Half a surrogate pair is no character: UTF-8 writes U+FFFD for it.</summary>
    private static string AsUtf8WouldWrite(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    private static bool IsWrittenRaw(char c) =>
        c is (>= ' ' and <= '~') or (>= '\u00A0' and <= '\uD7FF' and not '\u2028' and not '\u2029') or (>= '\uD800' and <= '\uDFFF') or (>= '\uE000' and <= '\uFFFD' and not '\uFEFF');

    // An escape is a backslash not itself escaped: after an even run of them (none, or \\ pairs); a text \uD800 is written \\uD800.
    [GeneratedRegex(@"(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}")]
    private static partial Regex HalfPairEscape();
}
