using CsCheck;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Tests.Validation.Rules;

/// <summary>What messages show of a value: all of a short one-line value, a bounded single line of any other.</summary>
public sealed class ExcerptTests
{
    private static readonly Gen<string> Text = Gen.Frequency(
        (4, Gen.String),
        (2, Gen.String[Gen.Char["ab\r\n\u2028\uD83D\uDE00"], 0, 200]),
        (1, Gen.Select(Gen.Char, Gen.Int[0, 2_000_000]).Select((c, n) => new string(c, n))));

    [Fact]
    public void An_excerpt_is_one_line_of_at_most_the_bound_and_keeps_a_short_line_whole()
    {
        Text.Sample(value =>
        {
            var excerpt = Excerpt.Of(value);

            excerpt.Length.Should().BeLessThanOrEqualTo(Excerpt.MaxLength);
            excerpt.ReplaceLineEndings(" ").Should().Be(excerpt);
            if (value.Length <= Excerpt.MaxLength)
            {
                excerpt.Should().Be(value.ReplaceLineEndings(" "));
                return;
            }

            excerpt.Should().EndWith("...").And.StartWith(value[..(Excerpt.MaxLength - 4)].ReplaceLineEndings(" "));
        }, iter: 200);
    }

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair() =>
        Excerpt.Of(new string('a', Excerpt.MaxLength - 4) + "\uD83D\uDE00" + new string('b', 100)).Should().Be(new string('a', Excerpt.MaxLength - 4) + "...");

    [Fact]
    public void Each_violation_quoting_values_stays_short_however_long_the_values()
    {
        Gen.Select(Gen.Char["A!é\n"], Gen.Int[Excerpt.MaxLength, 100_000], Gen.Int[1, 30]).Sample((c, length, count) =>
        {
            var value = new string(c, length);
            var values = Enumerable.Repeat(value, count).ToList();

            var violations = WireRules.Check(new RoleDto { Name = "r", DisplayName = "R", Permissions = values })
                .Concat(WireRules.Check(new AgentDto { Email = "a@acme.example", DisplayName = "A", RoleId = "agent", Mobile = value, Languages = values }));

            violations.Should().NotBeEmpty().And.OnlyContain(v => v.Expected.Length + v.Path.Length < 400);
        }, iter: 50);
    }
}
