using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests.Plumbing;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1.5h", 5400)]
    [InlineData(" 0s ", 0)]
    [InlineData("00:01:30", 90)]
    [InlineData("24000000h", 86_400_000_000)]
    [InlineData("1h30m", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("2m30s", 150)]
    [InlineData("0", 0)]
    [InlineData("1.02:00:00", 93600)]
    public void A_duration_is_read_in_its_unit(string text, double seconds) =>
        Durations.Parse(text).Should().Be(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("NaNs")]
    [InlineData("Infinityh")]
    [InlineData("99999999999999h")]
    [InlineData("30000000000m")]
    [InlineData("99999999999999999999999s")]
    [InlineData("1e400s")]
    [InlineData("5")] // five days to TimeSpan.Parse; Go: "missing unit in duration"
    [InlineData("30")]
    [InlineData("1.5")]
    [InlineData("5 m")]
    [InlineData("1e3s")] // Go: unknown unit "e" in duration
    public void What_is_no_duration_or_longer_than_one_can_be_is_none(string text) =>
        Durations.Parse(text).Should().BeNull();
}
