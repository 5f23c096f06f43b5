using System.Globalization;
using System.Text.RegularExpressions;

namespace Reconciler.Platform.Contract.Rules;

/// <summary>
/// The value formats of the wire, as patterns and predicates. The patterns use only what both .NET and RE2
/// (the Kubernetes API server's Go regexp) understand, because the CRDs carry them too; a value matches only
/// when the pattern matches all of it (in .NET, <c>$</c> alone would also match before a final newline).
/// </summary>
public static partial class WireFormats
{
    /// <summary>An object name of a collection: 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit (no dots).</summary>
    public const string Name = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

    public const int NameMaxLength = 63;

    /// <summary>E.164: a plus, a country code that does not start with 0, 7 to 15 digits in all.</summary>
    public const string E164 = @"^\+[1-9][0-9]{6,14}$";

    /// <summary>The HTML5 e-mail rule with a dotted domain; RFC 5322 is too liberal for a support platform's logins.</summary>
    public const string Email =
        @"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$";

    public const int EmailMaxLength = 254;

    /// <summary>An absolute http(s) URL with a host; <see cref="IsHttpUrl"/> also parses it as a <see cref="Uri"/>.</summary>
    public const string HttpUrl = @"^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\s]+([/?#].*)?$";

    public const int UrlMaxLength = 2000;

    /// <summary>A domain name of at least two labels whose last label (the top-level domain) is letters: acme.example.</summary>
    public const string Domain = @"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$";

    public const int DomainMaxLength = 253;

    /// <summary>A permission name of the platform's catalog: lowercase words separated by dots (agents.read).</summary>
    public const string PermissionName = "^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+$";

    /// <summary>
    /// The shape of an IANA time zone id: Area/Location[/Sublocation] in one of the tz database's areas (and
    /// its backward-compatible ones), or a single name such as UTC or EST5EDT. <see cref="IsIanaTimeZone"/> also
    /// asks the tz database whether the zone exists.
    /// </summary>
    public const string TimeZone =
        "^(?:(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Brazil|Canada|Chile|Etc|Europe|Indian|Mexico|Pacific|US)"
        + "/[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)?|[A-Z][A-Za-z0-9+-]*)$";

    public const int TimeZoneMaxLength = 64;

    /// <summary>An opening time, HH:MM on a 24-hour clock.</summary>
    public const string OpeningTime = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    /// <summary>A closing time, HH:MM on a 24-hour clock; 24:00 is midnight at the end of the day.</summary>
    public const string ClosingTime = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$";

    /// <summary>A date, YYYY-MM-DD; <see cref="IsDate"/> also checks that it is a calendar date.</summary>
    public const string Date = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

    /// <summary>A colour, #RRGGBB.</summary>
    public const string Color = "^#[0-9a-fA-F]{6}$";

    /// <summary>A label key: an optional DNS prefix and '/', then up to 63 alphanumerics, '-', '_', '.'.</summary>
    public const string LabelKey = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

    /// <summary>A label value: empty, or up to 63 alphanumerics, '-', '_', '.', starting and ending with an alphanumeric.</summary>
    public const string LabelValue = "^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";

    /// <summary>A reply template's shortcut: a slash, then 1-31 lower-case letters, digits, '-' or '_' (/refund).</summary>
    public const string Shortcut = "^/[a-z0-9][a-z0-9_-]{0,30}$";

    /// <summary>English day names, Monday first, as the wire writes them.</summary>
    public static readonly IReadOnlyList<string> DayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    public static bool IsName(string? value) => Whole(NameRegex(), value);

    public static bool IsEmail(string? value) => value is { Length: <= EmailMaxLength } && Whole(EmailRegex(), value);

    public static bool IsE164(string? value) => Whole(E164Regex(), value);

    public static bool IsDomain(string? value) => value is { Length: <= DomainMaxLength } && Whole(DomainRegex(), value);

    public static bool IsColor(string? value) => Whole(ColorRegex(), value);

    public static bool IsPermissionName(string? value) => Whole(PermissionNameRegex(), value);

    public static bool IsShortcut(string? value) => Whole(ShortcutRegex(), value);

    public static bool IsLabelKey(string? value) => value is { Length: <= 253 } && Whole(LabelKeyRegex(), value);

    public static bool IsLabelValue(string? value) => Whole(LabelValueRegex(), value);

    public static bool IsHttpUrl(string? value) =>
        value is { Length: <= UrlMaxLength } && Whole(HttpUrlRegex(), value)
        && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>IANA ids the runtime's tz database knows (Europe/Berlin, UTC); Windows ids such as "W. Europe Standard Time" are not portable.</summary>
    public static bool IsIanaTimeZone(string? value) =>
        value is { Length: > 0 and <= TimeZoneMaxLength } && Whole(TimeZoneRegex(), value)
        && TimeZoneInfo.TryFindSystemTimeZoneById(value, out var zone) && zone.HasIanaId;

    /// <summary>Minutes since midnight of an opening time, or null when it is not HH:MM (00:00-23:59).</summary>
    public static int? OpeningMinutes(string? value) => Whole(OpeningTimeRegex(), value) ? Minutes(value!) : null;

    /// <summary>Minutes since midnight of a closing time, or null when it is not HH:MM (00:01-24:00).</summary>
    public static int? ClosingMinutes(string? value) => Whole(ClosingTimeRegex(), value) ? Minutes(value!) : null;

    public static bool IsDate(string? value) =>
        Whole(DateRegex(), value) && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1;

    private static int Minutes(string hhmm) =>
        (int.Parse(hhmm.AsSpan(0, 2), CultureInfo.InvariantCulture) * 60) + int.Parse(hhmm.AsSpan(3, 2), CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="regex"/> (anchored with ^) matches all of <paramref name="value"/>.</summary>
    internal static bool Whole(Regex regex, string? value)
    {
        if (value is null)
            return false;
        // The only match starts at 0; one that stops short ended at $ before a final newline. EnumerateMatches
        // allocates nothing, where Match makes an object per call, several calls per resource.
        foreach (var match in regex.EnumerateMatches(value))
            return match.Length == value.Length;
        return false;
    }

    [GeneratedRegex(Name, RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    [GeneratedRegex(Email, RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(E164, RegexOptions.CultureInvariant)]
    private static partial Regex E164Regex();

    [GeneratedRegex(HttpUrl, RegexOptions.CultureInvariant)]
    private static partial Regex HttpUrlRegex();

    [GeneratedRegex(Domain, RegexOptions.CultureInvariant)]
    private static partial Regex DomainRegex();

    [GeneratedRegex(PermissionName, RegexOptions.CultureInvariant)]
    private static partial Regex PermissionNameRegex();

    [GeneratedRegex(TimeZone, RegexOptions.CultureInvariant)]
    private static partial Regex TimeZoneRegex();

    [GeneratedRegex(OpeningTime, RegexOptions.CultureInvariant)]
    private static partial Regex OpeningTimeRegex();

    [GeneratedRegex(ClosingTime, RegexOptions.CultureInvariant)]
    private static partial Regex ClosingTimeRegex();

    [GeneratedRegex(Date, RegexOptions.CultureInvariant)]
    private static partial Regex DateRegex();

    [GeneratedRegex(Color, RegexOptions.CultureInvariant)]
    private static partial Regex ColorRegex();

    [GeneratedRegex(Shortcut, RegexOptions.CultureInvariant)]
    private static partial Regex ShortcutRegex();

    [GeneratedRegex(LabelKey, RegexOptions.CultureInvariant)]
    private static partial Regex LabelKeyRegex();

    [GeneratedRegex(LabelValue, RegexOptions.CultureInvariant)]
    private static partial Regex LabelValueRegex();
}
