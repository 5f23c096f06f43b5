using CsCheck;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>A pattern's generated matcher must judge every value as the interpreted one built from the same pattern does.</summary>
public sealed class ShapeCheckerTests
{
    private static readonly string[] Near =
    [
        "", "a", "agent-1", "agent-1.bench", "a..b", "-a", "a-", "A", "agent1000@bench.example", "maria@acme", "a@b.c", "a@-b.c", "@b.c",
        "a@b.c\n", "agent\n", "ágent", "a@b.日本", "😀@x.io", "a b@c.d", "a@b..c", "x.y.z", "a\u0000", "\u2028",
    ];

    private static readonly Gen<string> Value = Gen.Frequency(
        (3, Gen.OneOf(Near)),
        (3, Gen.String[Gen.Char["abz09-.@_+!#é\n A"], 0, 40]),
        (1, Gen.String[0, 40]),
        (1, Gen.Select(Gen.OneOf(Near), Gen.OneOf(Near), Gen.OneOf(Near)).Select((a, b, c) => a + b + c)),
        (1, Gen.Select(Gen.Char["a0-."], Gen.Int[200, 300]).Select((c, n) => new string(c, n))));

    [Fact]
    public void Each_generated_matcher_is_the_whole_match_of_its_pattern()
    {
        ShapeChecker.Generated.Keys.Should().BeEquivalentTo(Patterns.DnsSubdomain, Patterns.Email);
        foreach (var (pattern, regex) in ShapeChecker.Generated)
        {
            regex.ToString().Should().Be(ShapeChecker.Interpreted(pattern).ToString());
            regex.Options.Should().Be(ShapeChecker.Interpreted(pattern).Options);
        }
    }

    [Fact]
    public void Generated_and_interpreted_matchers_agree_on_any_value()
    {
        var interpreted = ShapeChecker.Generated.Keys.ToDictionary(p => p, ShapeChecker.Interpreted, StringComparer.Ordinal);
        Gen.Select(Gen.OneOf(ShapeChecker.Generated.Keys.ToArray()), Value).Sample(
            (pattern, value) => ShapeChecker.FullMatch(value, pattern).Should().Be(interpreted[pattern].IsMatch(value), $"{pattern} on \"{value}\""),
            iter: 20_000);
    }

    [Theory]
    [InlineData("agent-1", true)]
    [InlineData("agent-1.bench", true)]
    [InlineData("agent-1\n", false)]
    [InlineData("Agent-1", false)]
    public void A_name_matches_only_as_a_whole(string name, bool matches) =>
        ShapeChecker.FullMatch(name, Patterns.DnsSubdomain).Should().Be(matches);
}
