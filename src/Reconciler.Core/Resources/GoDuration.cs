using System.Globalization;
using System.Text.RegularExpressions;

namespace Reconciler.Core.Resources;

/// <summary>
/// Reads the Go durations the model's fields take (<see cref="Patterns.GoDuration"/>: <c>90s</c>, <c>10m</c>,
/// <c>1h30m</c>, <c>500ms</c>), as Go's <c>time.ParseDuration</c> reads them.
/// </summary>
public static partial class GoDuration
{
    /// <summary>False when <paramref name="text"/> is not a duration or is longer than Go can hold.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || !Whole().IsMatch(text))
            return false;
        var seconds = 0.0;
        foreach (Match part in Part().Matches(text))
        {
            var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            seconds += amount * part.Groups[2].Value switch
            {
                "ms" => 0.001,
                "s" => 1,
                "m" => 60,
                _ => 3600,
            };
        }

        // As Go's time.ParseDuration: more than an int64 of nanoseconds (about 290 years) is invalid, not an overflow.
        if (seconds > MaxSeconds)
            return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>Whether <paramref name="text"/> is written as a duration, whatever its length.</summary>
    public static bool IsWellFormed(string text) => Whole().IsMatch(text);

    private const double MaxSeconds = long.MaxValue / 1e9;

    [GeneratedRegex(Patterns.GoDuration)]
    private static partial Regex Whole();

    [GeneratedRegex("([0-9]+)(ms|s|m|h)")]
    private static partial Regex Part();
}
