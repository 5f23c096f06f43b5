using System.Globalization;

namespace Reconciler.Core.Schedules;

/// <summary>
/// A boundary of a dated change: an RFC 3339 timestamp (with Z or an offset), or a date (yyyy-mm-dd) read in the
/// organisation's time zone. A date that starts a window means that day's first instant; a date that ends one means
/// the end of that day (the next day's first instant), as people say "until Friday".
/// </summary>
public static class ScheduleTime
{
    /// <summary>The manifest's syntax, in a form the API server's RE2 accepts.</summary>
    public const string Pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$";

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Whether the text is a timestamp or a date, and the instant it names; null when it is neither.</summary>
    public static DateTimeOffset? Parse(string text, TimeZoneInfo zone, bool isEnd)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return isEnd && date == DateOnly.MaxValue ? null : StartOfDay(isEnd ? date.AddDays(1) : date, zone);
        var normalized = text.Replace('t', 'T').Replace('z', 'Z');
        if (!normalized.EndsWith('Z') && !HasOffset(normalized))
            return null;
        return DateTimeOffset.TryParseExact(normalized, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            ? instant
            : null;
    }

    /// <summary>Whether the text is a date (read in the organisation's zone) rather than a timestamp.</summary>
    public static bool IsDate(string text) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>
    /// The first instant of a day in a zone; where midnight is skipped by a clock change, the first instant after the gap.
    /// Null when that instant is outside what a <see cref="DateTimeOffset"/> holds (0001-01-01 east of UTC).
    /// </summary>
    public static DateTimeOffset? StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(15);

        // An ambiguous midnight (clocks set back across it) is its first occurrence: the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return local.Ticks - offset.Ticks < DateTime.MinValue.Ticks ? null : new DateTimeOffset(local, offset);
    }

    private static bool HasOffset(string text) =>
        text.Length > 6 && text[^3] == ':' && (text[^6] == '+' || text[^6] == '-');
}
