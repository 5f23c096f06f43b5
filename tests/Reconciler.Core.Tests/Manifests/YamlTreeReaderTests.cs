using Reconciler.Core.Manifests;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>A scalar keeps what its tag means to the checker (not the tag's text), and resolves as the text of the tag said.</summary>
/// <remarks>The kinds are named as text: the test's parameters cannot be of the loader's internal types.</remarks>
public sealed class YamlTreeReaderTests
{
    [Theory]
    [InlineData("!!null x", "Null", "Null")]
    [InlineData("!!bool \"yes\"", "Boolean", "Boolean")]
    [InlineData("!!int \"4\"", "Integer", "Integer")]
    [InlineData("!!float 1", "Float", "Float")]
    [InlineData("!!str 12", "Other", "String")]
    [InlineData("!custom 12", "Other", "String")]
    [InlineData("!<!!bool> true", "ShorthandBoolean", "String")]
    [InlineData("! 12", "Other", "String")] // the non-specific tag makes a scalar text, in YAML 1.2 and to go-yaml
    [InlineData("12", "None", "Integer")]
    [InlineData("\"12\"", "None", "String")]
    public void A_tagged_scalar_resolves_by_its_tag(string written, string tag, string resolved)
    {
        var diagnostics = new List<Diagnostic>();
        var documents = YamlTreeReader.Read("f.yaml", $"a: {written}\n", ManifestLimits.Default, diagnostics);

        diagnostics.Should().BeEmpty();
        var scalar = documents.Should().ContainSingle().Which.Root.Should().BeOfType<YamlMappingNode>().Which.Entries
            .Should().ContainSingle().Which.Value.Should().BeOfType<YamlScalarNode>().Subject;
        scalar.Tag.ToString().Should().Be(tag, written);
        ShapeChecker.Resolve(scalar).ToString().Should().Be(resolved, written);
    }
}
