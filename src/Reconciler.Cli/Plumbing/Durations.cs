using System.Globalization;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// Durations on the command line, as Terraform and kubectl write them (Go's <c>time.ParseDuration</c>): <c>24h</c>,
/// <c>90m</c>, <c>30s</c>, <c>1.5h</c>, <c>1h30m</c>, <c>500ms</c>, <c>0</c> (or <c>hh:mm:ss</c>). A number without a unit
/// is none, as Go says "missing unit in duration": .NET's own reading of <c>5</c> is five days.
/// </summary>
internal static class Durations
{
    // Longer than a TimeSpan holds (about 29,000 years; a second short of it, as a double rounds) is no duration rather than an overflow.
    private static readonly double LongestSeconds = TimeSpan.MaxValue.TotalSeconds - 1;

    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        text = text.Trim();
        if (text == "0")
            return TimeSpan.Zero; // the one number Go reads without a unit
        var unit = text[^1];
        if (unit is 'h' or 'm' or 's' && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            var seconds = amount * unit switch { 'h' => 3600, 'm' => 60, _ => 1 };
            return seconds < LongestSeconds ? TimeSpan.FromSeconds(seconds) : null;
        }

        if (GoDuration.TryParse(text, out var compound))
            return compound;

        // TimeSpan's own format only with its colons: without them it reads a bare number as days.
        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero ? span : null;
    }
}
