using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Validation.Rules;

/// <summary>
/// A well-formed language tag whose primary subtag is reserved (4-8 letters) is legal on the wire but names no
/// language: a warning only. Malformed tags are errors of the wire rules.
/// </summary>
public sealed class ReservedLanguageRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var agent in context.Set.OfType<Agent>())
        {
            for (var i = 0; i < agent.Spec.Languages.Count; i++)
            {
                var tag = agent.Spec.Languages[i];
                if (MayHaveReservedLanguage(tag) && LanguageTags.IsWellFormed(tag) && LanguageTags.HasReservedLanguage(tag))
                {
                    yield return context.Warning(DiagnosticCodes.LanguageTag, agent, $"spec.languages[{i}]",
                        $"{Excerpt.Quoted(tag)} has a reserved primary language subtag; use an ISO 639 code such as en");
                }
            }
        }
    }

    /// <summary>
    /// False only for tags whose language subtag cannot be 4 letters or longer: the grammar's language starts the tag and
    /// is a first subtag of 4 to 8 letters, or 2 to 3 letters followed by 3-letter extlangs. Nearly every tag written
    /// (en, pt-BR) is ruled out here, before the grammar's match with its captures, an allocation per tag.
    /// </summary>
    internal static bool MayHaveReservedLanguage(string tag)
    {
        var first = tag.IndexOf('-');
        if (first < 0)
            return tag.Length >= 4;
        if (first >= 4)
            return true;
        var second = tag.IndexOf('-', first + 1);
        return (second < 0 ? tag.Length : second) - first - 1 == 3;
    }
}
