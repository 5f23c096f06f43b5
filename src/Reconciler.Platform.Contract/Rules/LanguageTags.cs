using System.Text.RegularExpressions;

namespace Reconciler.Platform.Contract.Rules;

/// <summary>
/// RFC 5646 well-formed language tags. CultureInfo is no judge: it accepts anything ICU can guess at and
/// rejects valid tags it has no data for, so the grammar is checked directly.
/// </summary>
public static partial class LanguageTags
{
    /// <summary>
    /// Case-insensitive: the irregular grandfathered tags, which do not follow the grammar, then the grammar.
    /// That a variant or extension appears once is checked in code (a regular expression cannot say "no repeats").
    /// </summary>
    public const string Pattern =
        "(?i)^(?:en-GB-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|i-tay|i-tsu|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE"
        + "|(?<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"
        + "(?:-(?<script>[a-z]{4}))?"
        + "(?:-(?<region>[a-z]{2}|[0-9]{3}))?"
        + "(?:-(?<variant>[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
        + "(?:-(?<singleton>[0-9a-wy-z])(?:-[a-z0-9]{2,8})+)*"
        + "(?:-x(?:-[a-z0-9]{1,8})+)?"
        + "|x(?:-[a-z0-9]{1,8})+)$";

    public const int MaxLength = 100;

    public static bool IsWellFormed(string? tag)
    {
        if (tag is null or { Length: 0 or > MaxLength })
            return false;
        // A repeated variant takes three subtags (en-variant-variant) and a repeated singleton five (en-a-xx-a-yy), so
        // the common short tags (en, pt-BR) need no captures to look at.
        if (tag.AsSpan().Count('-') < 2)
            return WireFormats.Whole(Grammar(), tag);
        var match = Grammar().Match(tag);
        if (!match.Success || match.Length != tag.Length)
            return false;

        var variants = match.Groups["variant"].Captures.Select(c => c.Value.ToLowerInvariant()).ToList();
        var singletons = match.Groups["singleton"].Captures.Select(c => c.Value.ToLowerInvariant()).ToList();
        return variants.Distinct().Count() == variants.Count && singletons.Distinct().Count() == singletons.Count;
    }

    /// <summary>Primary language subtags of 4 to 8 letters are reserved by RFC 5646 and assigned to no language.</summary>
    public static bool HasReservedLanguage(string tag) => Grammar().Match(tag) is { Success: true } m && m.Groups["language"].Value.Length >= 4;

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
