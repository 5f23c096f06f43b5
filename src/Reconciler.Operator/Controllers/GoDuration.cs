using System.Globalization;
using System.Text.RegularExpressions;

namespace Reconciler.Operator.Controllers;

/// <summary>Parses the Go durations the CRD accepts for resyncInterval (<c>90s</c>, <c>10m</c>, <c>1h30m</c>, <c>500ms</c>).</summary>
public static partial class GoDuration
{
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
        return value > TimeSpan.Zero;
    }

    private const double MaxSeconds = long.MaxValue / 1e9;

    [GeneratedRegex("^([0-9]+(ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex("([0-9]+)(ms|s|m|h)")]
    private static partial Regex Part();
}
