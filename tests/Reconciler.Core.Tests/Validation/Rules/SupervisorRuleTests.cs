using CsCheck;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;
using Reconciler.Core.Validation.Rules;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Validation.Rules;

/// <summary>The supervisor rule on generated supervisor graphs, against the rule's definition.</summary>
public sealed class SupervisorRuleTests
{
    // Each agent has no supervisor (-1), one that is not an agent (-2), or the agent at that index.
    private static readonly Gen<int[]> Supervisors = Gen.Int[1, 14].SelectMany(n => Gen.Int[-2, n - 1].Array[n]);

    /// <summary>Names whose ordinal order is not declaration order, so that a cycle's first name is not its first agent.</summary>
    private static string NameOf(int index) => $"{(char)('a' + (index * 5 % 12))}{index}";

    [Fact]
    public void SelfSupervisionsThenEachCycleOnce_InTheOrderTheAgentsFirstReachThem()
    {
        Supervisors.Sample(supervisors =>
        {
            var yaml = string.Concat(supervisors.Select((s, i) => Agent(NameOf(i), s switch
            {
                -1 => "",
                -2 => "supervisorRef: {name: nobody}",
                _ => $"supervisorRef: {{name: {NameOf(s)}}}",
            })));
            var context = new ValidationContext(Load(yaml));
            context.Set.Diagnostics.Should().BeEmpty();

            new SupervisorRule().Check(context).Should().Equal(Expected(context, supervisors));
        }, iter: 3_000);
    }

    [Fact]
    public void AChainOfFiveThousandAgentsIsCheckedInLinearTime()
    {
        // Declared leaf first, so the first walk goes the whole way up; every later walk stops at the first agent already walked.
        const int Count = 5_000;
        var yaml = string.Concat(Enumerable.Range(0, Count).Select(i => Agent($"a{i}", i + 1 < Count ? $"supervisorRef: {{name: a{i + 1}}}" : "")));
        var context = new ValidationContext(Load(yaml));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        new SupervisorRule().Check(context).Should().BeEmpty();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    /// <summary>
    /// From the definition: following supervisors from each agent in declaration order ends without a supervisor, at a name
    /// that is no agent, or on a cycle; a cycle of two or more agents is reported the first time it is reached, starting at
    /// its ordinally first name, at that agent.
    /// </summary>
    private static List<Diagnostic> Expected(ValidationContext context, int[] supervisors)
    {
        var agents = context.Set.OfType<Agent>().ToDictionary(a => a.Metadata.Name, StringComparer.Ordinal);
        var expected = new List<Diagnostic>();
        var reported = new HashSet<int>();
        for (var i = 0; i < supervisors.Length; i++)
        {
            if (supervisors[i] == i)
            {
                reported.Add(i);
                expected.Add(context.Error(DiagnosticCodes.SelfSupervision, agents[NameOf(i)], "spec.supervisorRef.name", "an agent cannot supervise itself"));
            }
        }

        for (var i = 0; i < supervisors.Length; i++)
        {
            var path = new List<int>();
            var node = i;
            while (node >= 0 && !path.Contains(node))
            {
                path.Add(node);
                node = supervisors[node];
            }

            if (node < 0)
                continue;
            var cycle = path[path.IndexOf(node)..];
            if (cycle.Count == 1 || cycle.Any(reported.Contains))
                continue;
            reported.UnionWith(cycle);
            var names = cycle.Select(NameOf).ToList();
            var first = names.Min(StringComparer.Ordinal)!;
            var from = names.IndexOf(first);
            var ordered = names[from..].Concat(names[..from]).Append(first);
            expected.Add(context.Error(DiagnosticCodes.SupervisorCycle, agents[first], "spec.supervisorRef.name", $"supervisor cycle: {string.Join(" -> ", ordered)}"));
        }

        return expected;
    }
}
