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
    [InlineData("tier in (gold,silver)")]
    [InlineData("tier notin (gold)")]
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
