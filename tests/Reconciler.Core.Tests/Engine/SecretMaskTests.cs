using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using Reconciler.Core.Engine;

namespace Reconciler.Core.Tests.Engine;

public sealed class SecretMaskTests
{
    /// <summary>How an answer may write a secret it quotes.</summary>
    private static readonly (string Name, Func<string, string> Write)[] Writings =
    [
        ("as sent", s => s),
        ("System.Text.Json", s => JsonSerializer.Serialize(s)[1..^1]),
        ("JSON, relaxed", s => JsonSerializer.Serialize(s, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })[1..^1]),
        ("JSON, every character escaped lower-case", s => string.Concat(s.Select(c => $"\\u{(int)c:x4}"))),
        ("JSON, slashes and quotes with a backslash", s => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("/", "\\/", StringComparison.Ordinal)),
        ("URL", Uri.EscapeDataString),
        ("URL, lower-case hex", s => string.Concat(Encoding.UTF8.GetBytes(s).Select(b => $"%{b:x2}"))),
        ("form", s => System.Net.WebUtility.UrlEncode(s)),
        ("base64", s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s))),
        ("base64 after a byte", s => Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + s))),
        ("base64 after two bytes", s => Convert.ToBase64String(Encoding.UTF8.GetBytes("id:" + s))),
        ("base64url after two bytes", s => Convert.ToBase64String(Encoding.UTF8.GetBytes("id:" + s)).Replace('+', '-').Replace('/', '_')),
    ];

    private static readonly Gen<string> Secret = Gen.String[Gen.Char["aZ09-_.+/=\"\\' é€\n"], SecretMask.Run, 40];

    private static readonly Gen<string> Words = Gen.String[Gen.Char["abc ,:{}\"="], 0, 20];

    [Fact]
    public void A_secret_is_masked_however_the_answer_writes_it_and_whatever_surrounds_it()
    {
        Gen.Select(Secret, Gen.Int[0, Writings.Length - 1], Words, Words).Sample((secret, writing, before, after) =>
        {
            var written = Writings[writing].Write(secret);
            var shown = new SecretMask([secret]).Apply(before + written + after);
            shown.Should().NotContain(written, Writings[writing].Name).And.Contain(SecretMask.Mask);
        });
    }

    [Theory]
    [InlineData("hunter2", "the password hunter2 is wrong", "the password (sensitive value) is wrong")]
    [InlineData("a", "a bad value: \"a\"", "(sensitive value) bad value: \"(sensitive value)\"")]
    [InlineData("ab", "abc cab ab", "abc cab (sensitive value)")]
    [InlineData("CANARY-okta-5e6f7a8b", "starts CANARY-o… and ends …5e6f7a8b", "starts (sensitive value)… and ends …(sensitive value)")]
    [InlineData("CANARY-okta-5e6f7a8b", "starts CANARY-… and ends …6f7a8b", "starts CANARY-… and ends …6f7a8b")]
    [InlineData("CANARY-okta-5e6f7a8b", "nothing of it", "nothing of it")]
    public void What_is_masked(string secret, string text, string shown) =>
        new SecretMask([secret]).Apply(text).Should().Be(shown);
}
