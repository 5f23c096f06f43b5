using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine.Output;

namespace Reconciler.Core.Tests.Engine.Output;

public sealed class FieldDiffTextTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Gen<string> Text = Gen.Frequency(
        (4, Gen.String[Gen.Char[' ', '~'], 0, 30]),
        (2, Gen.String[Gen.Char["aZ09 \"\\/<>&'+`~\u007f\t\n\r\u0000\u001fé€\u2028😀"], 0, 12]),
        (1, Gen.String[0, 30]));

    /// <summary>The literal is the one the JSON writer makes: a plain value only quoted, anything else escaped as JSON does.</summary>
    [Fact]
    public void Quoted_IsTheJsonWritersStringLiteral_ForSampledTexts() =>
        Text.Sample(text => FieldDiffText.Quoted(text).Should().Be(JsonValue.Create(text).ToJsonString(Relaxed)));

    [Fact]
    public void Quoted_IsTheJsonWritersStringLiteral_ForEveryAsciiCharacter()
    {
        foreach (var c in Enumerable.Range(0, 128).Select(c => (char)c))
            FieldDiffText.Quoted($"a{c}b").Should().Be(JsonValue.Create($"a{c}b").ToJsonString(Relaxed), $"U+{(int)c:X4}");
    }

    [Theory]
    [InlineData("maria@acme.example", "\"maria@acme.example\"")]
    [InlineData("Level \"2\"", "\"Level \\\"2\\\"\"")]
    [InlineData(@"C:\support", "\"C:\\\\support\"")]
    [InlineData("a\tb", "\"a\\tb\"")]
    [InlineData("a+b <c> & 'd' `e`", "\"a+b <c> & 'd' `e`\"")]
    [InlineData("Café", "\"Café\"")]
    public void Quoted_QuotesPlainText_AndEscapesWhatJsonMust(string text, string expected) =>
        FieldDiffText.Quoted(text).Should().Be(expected);
}
