using System.Globalization;
using System.Text.RegularExpressions;

namespace Reconciler.Platform.Validation;

/// <summary>Format rules shared by the collections: names, e-mail, E.164 phone, time zones, clock times, URLs, labels.</summary>
internal static partial class FieldRules
{
    public static readonly string[] DayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[^@\s""<>(),;:\\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164Pattern();

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$", RegexOptions.CultureInvariant)]
    private static partial Regex ClockPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DomainPattern();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex ColorPattern();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelKeyPattern();

    [GeneratedRegex(@"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValuePattern();

    public static bool IsName(string? value) => value is not null && NamePattern().IsMatch(value);

    public static bool IsEmail(string? value) => value is not null && value.Length <= 254 && EmailPattern().IsMatch(value);

    public static bool IsE164(string? value) => value is not null && E164Pattern().IsMatch(value);

    public static bool IsDomain(string? value) => value is not null && DomainPattern().IsMatch(value);

    public static bool IsColor(string? value) => value is not null && ColorPattern().IsMatch(value);

    public static bool IsAbsoluteHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>IANA time zones only: Windows ids such as "W. Europe Standard Time" are rejected.</summary>
    public static bool IsIanaTimeZone(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(value);
            return zone.HasIanaId;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>Minutes since midnight of an "HH:MM" time (24:00 allowed as an end), or null when malformed.</summary>
    public static int? ClockMinutes(string? value)
    {
        if (value is null || !ClockPattern().IsMatch(value))
        {
            return null;
        }

        return (int.Parse(value.AsSpan(0, 2), CultureInfo.InvariantCulture) * 60) + int.Parse(value.AsSpan(3, 2), CultureInfo.InvariantCulture);
    }

    public static bool IsDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    public static void RequireText(ValidationErrors errors, string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
        }
        else if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters");
        }
    }

    public static void OneOf(ValidationErrors errors, string field, string? value, IReadOnlyCollection<string> allowed)
    {
        if (value is null || !allowed.Contains(value))
        {
            errors.Add(field, $"must be one of {string.Join(", ", allowed)}");
        }
    }

    public static void Labels(ValidationErrors errors, Dictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return;
        }

        foreach (var (key, value) in labels)
        {
            if (key.Length > 253 || !LabelKeyPattern().IsMatch(key))
            {
                errors.Add($"labels.{key}", "label key must be a qualified name (optional DNS prefix and '/', then up to 63 alphanumerics, '-', '_', '.')");
            }

            if (value is null || value.Length > 63 || !LabelValuePattern().IsMatch(value))
            {
                errors.Add($"labels.{key}", "label value must be at most 63 alphanumerics, '-', '_', '.'");
            }
        }
    }

    public static void Distinct(ValidationErrors errors, string field, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(values[i]))
            {
                errors.Add($"{field}[{i}]", "must not be empty");
            }
            else if (!seen.Add(values[i]))
            {
                errors.Add($"{field}[{i}]", $"duplicate value '{values[i]}'");
            }
        }
    }
}
