using System.Text.RegularExpressions;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>
/// RFC 5646 well-formedness. CultureInfo is no judge: it accepts anything ICU can guess at and
/// rejects valid tags it has no data for, so the grammar (<see cref="Patterns.LanguageTag"/>, shared
/// with the CRDs) is checked directly.
/// </summary>
public static partial class LanguageTag
{
    public static bool IsWellFormed(string tag)
    {
        var match = Grammar().Match(tag);
        if (!match.Success)
            return false;

        // The grammar cannot say "no repeats": a variant or extension singleton may appear once.
        var variants = match.Groups["variant"].Captures.Select(c => c.Value.ToLowerInvariant()).ToList();
        var singletons = match.Groups["singleton"].Captures.Select(c => c.Value.ToLowerInvariant()).ToList();
        return variants.Distinct().Count() == variants.Count && singletons.Distinct().Count() == singletons.Count;
    }

    /// <summary>Primary language subtags of 4 to 8 letters are reserved by RFC 5646 and assigned to no language.</summary>
    public static bool HasReservedLanguage(string tag) => Grammar().Match(tag) is { Success: true } m && m.Groups["language"].Value.Length >= 4;

    [GeneratedRegex(Patterns.LanguageTag, RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
