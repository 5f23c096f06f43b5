using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>The supervisor chain is a forest: no agent supervises itself, directly or through others.</summary>
public sealed class SupervisorRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        var agents = context.Set.OfType<Agent>().ToDictionary(a => a.Metadata.Name, StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in agents.Values)
        {
            if (agent.Spec.SupervisorRef?.Name == agent.Metadata.Name)
            {
                reported.Add(agent.Metadata.Name);
                yield return context.Error(DiagnosticCodes.SelfSupervision, agent, "spec.supervisorRef.name", "an agent cannot supervise itself");
            }
        }

        foreach (var agent in agents.Values)
        {
            var chain = new List<string>();
            var current = agent.Metadata.Name;
            while (!reported.Contains(current) && !chain.Contains(current) && agents.TryGetValue(current, out var a))
            {
                chain.Add(current);
                current = a.Spec.SupervisorRef?.Name ?? "";
            }

            var start = chain.IndexOf(current);
            if (start < 0)
                continue;
            var cycle = chain[start..];
            reported.UnionWith(cycle);
            var first = cycle.Min(StringComparer.Ordinal)!;
            var at = cycle.IndexOf(first);
            var ordered = cycle[at..].Concat(cycle[..at]).Append(first);
            yield return context.Error(DiagnosticCodes.SupervisorCycle, agents[first], "spec.supervisorRef.name",
                $"supervisor cycle: {string.Join(" -> ", ordered)}");
        }
    }
}
