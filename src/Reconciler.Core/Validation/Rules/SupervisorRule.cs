using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>The supervisor chain is a forest: no agent supervises itself, directly or through others.</summary>
public sealed class SupervisorRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        var agents = context.Set.OfType<Agent>().ToDictionary(a => a.Metadata.Name, StringComparer.Ordinal);

        // Agents from which no cycle is left to report: those that supervise themselves (reported as that), and then every
        // agent a walk went through. A walk stops at such an agent, so each agent is walked once and a set costs linear time
        // however deep its chains (it was quadratic in their depth).
        var settled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agent in agents.Values)
        {
            if (agent.Spec.SupervisorRef?.Name == agent.Metadata.Name)
            {
                settled.Add(agent.Metadata.Name);
                yield return context.Error(DiagnosticCodes.SelfSupervision, agent, "spec.supervisorRef.name", "an agent cannot supervise itself");
            }
        }

        var chain = new List<string>();
        var onChain = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var agent in agents.Values)
        {
            chain.Clear();
            onChain.Clear();
            var current = agent.Metadata.Name;
            while (!settled.Contains(current) && !onChain.ContainsKey(current) && agents.TryGetValue(current, out var a))
            {
                onChain[current] = chain.Count;
                chain.Add(current);
                current = a.Spec.SupervisorRef?.Name ?? "";
            }

            settled.UnionWith(chain);
            if (!onChain.TryGetValue(current, out var start))
                continue;
            var cycle = chain[start..];
            var first = cycle.Min(StringComparer.Ordinal)!;
            var at = cycle.IndexOf(first);
            var ordered = cycle[at..].Concat(cycle[..at]).Append(first);
            yield return context.Error(DiagnosticCodes.SupervisorCycle, agents[first], "spec.supervisorRef.name",
                $"supervisor cycle: {string.Join(" -> ", ordered)}");
        }
    }
}
