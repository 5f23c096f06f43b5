using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>E-mail is the platform's natural key for agents, compared case-insensitively.</summary>
public sealed class UniqueAgentEmailRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        var first = new Dictionary<string, Agent>(StringComparer.OrdinalIgnoreCase);
        foreach (var agent in context.Set.OfType<Agent>())
        {
            if (!first.TryAdd(agent.Spec.Email, agent))
            {
                var other = first[agent.Spec.Email];
                yield return context.Error(DiagnosticCodes.DuplicateEmail, agent, "spec.email",
                    $"\"{agent.Spec.Email}\" is already the e-mail of agent \"{other.Metadata.Name}\" ({context.Set.Locate(other, "spec.email")}); e-mails are compared case-insensitively");
            }
        }
    }
}
