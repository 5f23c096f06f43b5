using CsCheck;
using Reconciler.Core.Validation.Rules;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Tests.Validation.Rules;

/// <summary>The rule's cheap filter rules out only tags the grammar could never read as having a reserved language.</summary>
public sealed class ReservedLanguageRuleTests
{
    // Subtags of the lengths and characters the grammar distinguishes, joined as tags are and sometimes broken.
    private static readonly Gen<string> Subtag = Gen.String[Gen.Char["aZqx0-9i"], 1, 9];

    private static readonly Gen<string> Tag = Gen.Frequency(
        (8, Subtag.List[1, 5].Select(parts => string.Join('-', parts))),
        (1, Gen.String[Gen.Char["aZx0i-"], 0, 12]));

    [Fact]
    public void The_filter_passes_every_tag_that_the_grammar_reads_as_reserved() =>
        Tag.Sample(tag =>
        {
            if (LanguageTags.IsWellFormed(tag) && LanguageTags.HasReservedLanguage(tag))
                ReservedLanguageRule.MayHaveReservedLanguage(tag).Should().BeTrue(tag);
        }, iter: 50_000);

    [Theory]
    [InlineData("english", true)]
    [InlineData("abcd-DE", true)]
    [InlineData("zh-yue", true)]
    [InlineData("en", false)]
    [InlineData("pt-BR", false)]
    [InlineData("zh-Hant-TW", false)]
    [InlineData("i-klingon", false)]
    [InlineData("x-private", false)]
    public void The_filter_rules_out_common_tags_without_the_grammar(string tag, bool may) =>
        ReservedLanguageRule.MayHaveReservedLanguage(tag).Should().Be(may);
}
