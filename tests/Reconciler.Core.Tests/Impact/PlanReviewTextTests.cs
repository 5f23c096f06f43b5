using Reconciler.Core.Guards;
using Reconciler.Core.Impact;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Impact;

public sealed class PlanReviewTextTests
{
    [Theory]
    [InlineData(0, "")]
    [InlineData(1, " [Agent/a0]")]
    [InlineData(10, " [Agent/a0, Agent/a1, Agent/a2, Agent/a3, Agent/a4, Agent/a5, Agent/a6, Agent/a7, Agent/a8, Agent/a9]")]
    [InlineData(11, " [Agent/a0, Agent/a1, Agent/a2, Agent/a3, Agent/a4, Agent/a5, Agent/a6, Agent/a7, Agent/a8, Agent/a9 and 1 more]")]
    [InlineData(9_900, " [Agent/a0, Agent/a1, Agent/a2, Agent/a3, Agent/a4, Agent/a5, Agent/a6, Agent/a7, Agent/a8, Agent/a9 and 9890 more]")]
    public void A_finding_names_its_first_ten_resources_and_counts_the_rest(int count, string expected)
    {
        var finding = Finding(count);

        PlanReviewText.ResourceList(finding).Should().Be(expected);
        PlanReviewText.Line(finding).Should().Be($"Refused by guard mass-change: too many{expected}; to allow it: --allow mass-change");
    }

    private static GuardFinding Finding(int resources) =>
        new("mass-change", GuardVerdict.Refused, "too many", [.. Enumerable.Range(0, resources).Select(i => new ResourceId("Agent", $"a{i}"))], "--allow mass-change");
}
