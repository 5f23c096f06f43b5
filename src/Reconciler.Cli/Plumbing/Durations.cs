using System.Globalization;

namespace Reconciler.Cli.Plumbing;

/// <summary>Durations on the command line, as Terraform and kubectl write them: <c>24h</c>, <c>90m</c>, <c>30s</c> (or <c>hh:mm:ss</c>).</summary>
internal static class Durations
{
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        text = text.Trim();
        var unit = text[^1];
        if (unit is 'h' or 'm' or 's' && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
            return unit switch { 'h' => TimeSpan.FromHours(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromSeconds(amount) };
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero ? span : null;
    }
}
