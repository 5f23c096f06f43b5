using Reconciler.Core.Manifests;

namespace Reconciler.Core.Tests.Manifests;

public sealed class SuggestionsTests
{
    [Theory]
    [InlineData("prune", "prune", 0)]
    [InlineData("prnue", "prune", 1)]
    [InlineData("ab", "ba", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("ca", "abc", 3)]
    [InlineData("emial", "email", 1)]
    [InlineData("maxConcurentChats", "maxConcurrentChats", 1)]
    public void Distance_counts_inserts_deletes_substitutions_and_swaps_of_neighbours(string a, string b, int expected)
    {
        Suggestions.Distance(a, b).Should().Be(expected);
        Suggestions.Distance(b, a).Should().Be(expected);
    }

    [Fact]
    public void A_swap_of_neighbours_is_suggested_like_any_other_typo() =>
        Suggestions.DidYouMean("emial", ["email", "mobile"]).Should().Be("; did you mean \"email\"?");
}
