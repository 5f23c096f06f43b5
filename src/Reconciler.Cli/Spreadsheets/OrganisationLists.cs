using Reconciler.Core.Resources;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>The values the template's drop-down lists offer, from manifests or from the platform.</summary>
internal sealed record OrganisationLists(IReadOnlyList<string> Roles, IReadOnlyList<string> BusinessUnits, IReadOnlyList<string> Languages)
{
    /// <summary>Offered besides the languages agents already have, so a new team's language is one click away.</summary>
    private static readonly string[] CommonLanguages = ["ar", "de", "en", "en-GB", "en-US", "es", "es-MX", "fr", "hi", "id", "it", "ja", "ko", "nl", "pl", "pt", "pt-BR", "ru", "th", "tr", "vi", "zh-Hans", "zh-Hant"];

    public static OrganisationLists From(IEnumerable<Resource> resources)
    {
        var all = resources.ToList();
        return new OrganisationLists(
            [.. Role.BuiltIn.Order(StringComparer.Ordinal).Concat(all.OfType<Role>().Select(r => r.Metadata.Name).Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)],
            [.. all.OfType<BusinessUnit>().Select(b => b.Metadata.Name).Order(StringComparer.Ordinal)],
            [.. all.OfType<Agent>().SelectMany(a => a.Spec.Languages).Concat(CommonLanguages).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)]);
    }
}
