using Reconciler.Platform.Storage;

namespace Reconciler.Platform.Tests.Storage;

public sealed class LabelSelectorTests
{
    [Theory]
    [InlineData("tier=gold", "tier", "gold", false)]
    [InlineData("tier==gold", "tier", "gold", false)]
    [InlineData(" tier = gold ", "tier", "gold", false)]
    [InlineData("tier=", "tier", "", false)]
    [InlineData("tier!=gold", "tier", "gold", true)]
    [InlineData("reconciler.dev/managed-by", "reconciler.dev/managed-by", null, false)]
    [InlineData("!reconciler.dev/managed-by", "reconciler.dev/managed-by", null, true)]
    public void A_requirement_reads_as_Kubernetes_reads_it(string text, string key, string? value, bool negated)
    {
        LabelSelector.TryParse(text, out var selector, out var error).Should().BeTrue(error);

        selector.Requirements.Should().ContainSingle().Which.Should().Be(new LabelRequirement(key, value, negated));
    }

    [Theory]
    [InlineData("tier in (gold,silver)", "tier", false, new[] { "gold", "silver" })]
    [InlineData("tier in(gold)", "tier", false, new[] { "gold" })]
    [InlineData(" tier  notin ( gold , silver ) ", "tier", true, new[] { "gold", "silver" })]
    [InlineData("example.com/tier in (gold,)", "example.com/tier", false, new[] { "gold", "" })]
    public void A_set_based_requirement_reads_as_Kubernetes_reads_it(string text, string key, bool negated, string[] values)
    {
        LabelSelector.TryParse(text, out var selector, out var error).Should().BeTrue(error);

        var requirement = selector.Requirements.Should().ContainSingle().Which;
        requirement.Key.Should().Be(key);
        requirement.Negated.Should().Be(negated);
        requirement.Values.Should().Equal(values);
    }

    [Fact]
    public void Set_based_and_equality_requirements_mix_with_commas_inside_the_parentheses()
    {
        LabelSelector.TryParse("run=1,tier in (gold,silver),!managed-by,zone notin (a)", out var selector, out var error).Should().BeTrue(error);

        selector.Requirements.Select(r => r.Key).Should().Equal("run", "tier", "managed-by", "zone");
    }

    [Theory]
    [InlineData("tier in ()")]
    [InlineData("tier in (gold")]
    [InlineData("tier in gold")]
    [InlineData("tier in (go ld)")]
    [InlineData("tier in (a,(b))")]
    [InlineData("tier exists (a)")]
    [InlineData("in (a)")]
    [InlineData("tier in (a))")]
    [InlineData("tier=gold=1")]
    [InlineData("tier===gold")]
    [InlineData("tier!=gold!=1")]
    [InlineData("a' OR 1=1--")]
    [InlineData("=gold")]
    [InlineData("!")]
    [InlineData("tier,,run=1")]
    [InlineData("!tier=gold")]
    public void A_requirement_it_cannot_mean_is_refused_rather_than_matching_nothing(string text)
    {
        LabelSelector.TryParse(text, out _, out var error).Should().BeFalse();

        error.Should().Contain("labelSelector");
    }
}
