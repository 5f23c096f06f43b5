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
        foreach (Match part in Part().Matches(text))
        {
            var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            value += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }

        return value > TimeSpan.Zero;
    }

    [GeneratedRegex("^([0-9]+(ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex("([0-9]+)(ms|s|m|h)")]
    private static partial Regex Part();
}
