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
    public void Quoted_IsTheJsonWritersStringLiteral_ForEveryText() =>
        Text.Sample(text => FieldDiffText.Quoted(text) == JsonValue.Create(text).ToJsonString(Relaxed));

    [Theory]
    [InlineData("maria@acme.example", "\"maria@acme.example\"")]
    [InlineData("Level \"2\"", "\"Level \\\"2\\\"\"")]
    [InlineData(@"C:\support", "\"C:\\\\support\"")]
    [InlineData("a\tb", "\"a\\tb\"")]
    [InlineData("Café <EU> & 'friends'", "\"Café <EU> & 'friends'\"")]
    public void Quoted_QuotesPlainText_AndEscapesWhatJsonMust(string text, string expected) =>
        FieldDiffText.Quoted(text).Should().Be(expected);
}
