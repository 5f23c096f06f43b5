using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.ResourceKinds;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("0s", 0)]
    [InlineData("2562047h", 9_223_369_200_000)]
    public void A_go_duration_is_read_part_by_part(string text, long milliseconds)
    {
        GoDuration.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    // Go's time.ParseDuration refuses what does not fit an int64 of nanoseconds (2562047h47m16.854775807s).
    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1d")]
    [InlineData("2562048h")]
    [InlineData("99999999999999h")]
    [InlineData("99999999999999999999999999999s")]
    public void What_go_would_refuse_is_refused(string text) =>
        GoDuration.TryParse(text, out _).Should().BeFalse();
}
