using CsCheck;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using static Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.Engine;

/// <summary>The planner's order of changes (keys computed once, one sort) against the straightforward ordering by kind, depth below a parent of the same kind, then name.</summary>
public sealed class PlanOrderTests
{
    private static readonly string[] Names = ["ana", "ben", "cai", "dan", "eve", "fay", "gus", "hal", "ivo"];
    private static readonly ObservedState Empty = new(
        KindMappers.InDependencyOrder.Where(m => !m.IsSingleton).ToDictionary(m => m.Collection, _ => (IReadOnlyList<PlatformObject>)[], StringComparer.Ordinal),
        null);

    [Fact]
    public void Changes_come_in_kind_order_then_below_their_supervisor_then_by_name_whatever_the_manifests_order()
    {
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var yaml = string.Concat(Names.Where(_ => random.Next(4) > 0).OrderBy(_ => random.Next()).Select(name => random.Next(6) == 0
                    ? Role(name, "inbox.view")
                    : Agent(name, role: "lead", supervisor: random.Next(4) == 0 ? null : Names[random.Next(Names.Length)])));
                var resources = EngineHarness.Load(Role("lead", "inbox.view") + yaml);

                var plan = Planner.Plan(new DesiredState(resources, SecretValues.None), Empty, new PlanOptions());

                var planned = plan.Changes.Select(c => c.Address).ToHashSet();
                plan.Changes.Select(c => c.Address).Should().Equal(Straightforward(resources).Where(planned.Contains));
                planned.Should().NotBeEmpty("the role is always planned");
            },
            iter: 500);
    }

    private static IEnumerable<ResourceId> Straightforward(IReadOnlyList<Resource> resources)
    {
        var parents = resources.ToDictionary(r => r.Id, r => ResourceCatalog.DescriptionOf(r).ReferencesOf(r).FirstOrDefault(f => f.TargetKind == r.Kind)?.Target);
        int Depth(Resource r)
        {
            var depth = 0;
            var current = r.Id;
            while (depth < parents.Count && parents[current] is { } parent && parents.ContainsKey(parent))
            {
                depth++;
                current = parent;
            }

            return depth;
        }

        return resources
            .OrderBy(r => KindMappers.InDependencyOrder.Select(m => m.Kind).ToList().IndexOf(r.Kind))
            .ThenBy(Depth)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .Select(r => r.Id);
    }
}
