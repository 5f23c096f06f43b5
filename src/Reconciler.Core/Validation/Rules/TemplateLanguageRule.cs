using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Validation.Rules;

/// <summary>
/// A reply template's text in a language that no active agent of its business units speaks (every agent when it names
/// none) is never used: a warning, since agents may be added later. An agent speaking <c>pt-BR</c> counts for <c>pt</c>
/// and the other way round (same primary language). A set without agents is not judged: the agents live elsewhere.
/// </summary>
public sealed class TemplateLanguageRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        var agents = context.Set.OfType<Agent>().Where(a => a.Spec.Active).ToList();
        if (!context.Set.OfType<Agent>().Any())
            yield break;
        foreach (var template in context.Set.OfType<ReplyTemplate>())
        {
            var units = template.Spec.BusinessUnitRefs.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            var audience = units.Count == 0 ? agents : agents.Where(a => a.Spec.BusinessUnitRefs.Any(b => units.Contains(b.Name))).ToList();
            var spoken = audience.SelectMany(a => a.Spec.Languages).Select(Primary).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var language in template.Spec.Texts.Keys.Where(LanguageTags.IsWellFormed))
            {
                if (!spoken.Contains(Primary(language)))
                {
                    var who = units.Count == 0 ? "no active agent" : $"no active agent of {string.Join(", ", units.Order(StringComparer.Ordinal))}";
                    yield return context.Warning(DiagnosticCodes.UnspokenLanguage, template, $"spec.texts.{language}",
                        $"{who} speaks {Excerpt.Quoted(language)}: this text is never offered (agents' spec.languages)");
                }
            }
        }
    }

    private static string Primary(string tag) => tag.Split('-')[0];
}
