using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Resources;

/// <summary>
/// Regular expressions of the generated CRDs. The wire formats are the contract's (<see cref="WireFormats"/>),
/// which <c>reconciler validate</c>, the planner and the reference platform check, so the four cannot drift. They use only what both .NET and RE2 (the API server's Go regexp) understand;
/// named groups are rewritten to plain groups when they are rendered into a CRD.
/// </summary>
public static class Patterns
{
    /// <summary>E.164: a plus, a country code that does not start with 0, 7 to 15 digits in all.</summary>
    public const string E164 = WireFormats.E164;

    /// <summary>The HTML5 e-mail rule with a dotted domain; RFC 5322 is too liberal for a support platform's logins.</summary>
    public const string Email = WireFormats.Email;

    /// <summary>An absolute http(s) URL with a host; full URI syntax is checked by <c>format: uri</c> and <see cref="Uri"/>.</summary>
    public const string HttpUrl = WireFormats.HttpUrl;

    /// <summary>A Kubernetes object name (RFC 1123 subdomain); at most 253 characters, checked separately.</summary>
    public const string DnsSubdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A domain name of at least two labels (acme.example); at most 253 characters, checked separately.</summary>
    public const string Domain = WireFormats.Domain;

    /// <summary>A reply template's shortcut: a slash and a lower-case word (/refund).</summary>
    public const string Shortcut = WireFormats.Shortcut;

    /// <summary>A permission name of the platform's catalog: lowercase words separated by dots (agents.read).</summary>
    public const string PermissionName = WireFormats.PermissionName;

    /// <summary>
    /// RFC 5646 well-formed language tags, case-insensitive: the irregular grandfathered tags, which
    /// do not follow the grammar, then the grammar. That a variant or extension appears once is
    /// checked in code (a regular expression cannot say "no repeats").
    /// </summary>
    public const string LanguageTag = LanguageTags.Pattern;

    /// <summary>
    /// The shape of an IANA time zone id: Area/Location[/Sublocation] in one of the tz database's
    /// areas (and its backward-compatible ones), or a single name such as UTC or EST5EDT. Whether
    /// the zone exists is known only to a tz database, which validation consults.
    /// </summary>
    public const string TimeZone = WireFormats.TimeZone;

    /// <summary>An opening time, HH:MM on a 24-hour clock.</summary>
    public const string OpeningTime = WireFormats.OpeningTime;

    /// <summary>A closing time, HH:MM on a 24-hour clock; 24:00 is midnight at the end of the day.</summary>
    public const string ClosingTime = WireFormats.ClosingTime;

    /// <summary>A date, YYYY-MM-DD; that it is a calendar date is checked in code and by a CEL rule.</summary>
    public const string Date = WireFormats.Date;

    /// <summary>A colour, #RRGGBB.</summary>
    public const string Color = WireFormats.Color;

    /// <summary>A Go duration of whole units, e.g. 10m, 1h30m.</summary>
    public const string GoDuration = "^([0-9]+(ms|s|m|h))+$";

    /// <summary>A decimal fraction from 0 to 1: 0, 0.25, 1, 1.0.</summary>
    public const string Fraction = @"^(0(\.[0-9]+)?|1(\.0+)?)$";
}
