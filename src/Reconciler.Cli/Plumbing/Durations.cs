using System.Globalization;

namespace Reconciler.Cli.Plumbing;

/// <summary>Durations on the command line, as Terraform and kubectl write them: <c>24h</c>, <c>90m</c>, <c>30s</c> (or <c>hh:mm:ss</c>).</summary>
internal static class Durations
{
    // Longer than a TimeSpan holds (about 29,000 years; a second short of it, as a double rounds) is no duration rather than an overflow.
    private static readonly double LongestSeconds = TimeSpan.MaxValue.TotalSeconds - 1;

    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        text = text.Trim();
        var unit = text[^1];
        if (unit is 'h' or 'm' or 's' && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            var seconds = amount * unit switch { 'h' => 3600, 'm' => 60, _ => 1 };
            return seconds < LongestSeconds ? TimeSpan.FromSeconds(seconds) : null;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero ? span : null;
    }
}
