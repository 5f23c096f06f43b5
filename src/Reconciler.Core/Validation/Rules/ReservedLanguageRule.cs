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
                if (LanguageTags.IsWellFormed(tag) && LanguageTags.HasReservedLanguage(tag))
                {
                    yield return context.Warning(DiagnosticCodes.LanguageTag, agent, $"spec.languages[{i}]",
                        $"\"{tag}\" has a reserved primary language subtag; use an ISO 639 code such as en");
                }
            }
        }
    }
}
