using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;

namespace Reconciler.Core.Tests.Engine;

/// <summary>The planner's order of deletes (each depth computed once) against the definition: a walk up every object's supervisor chain.</summary>
public sealed class DeleteOrderTests
{
    private static readonly IKindMapper Agents = KindMappers.ForKind("Agent");
    private static readonly IKindMapper Roles = KindMappers.ForKind("Role");
    private static readonly Dictionary<string, string> NoLabels = [];

    /// <summary>A supervisor: absent, JSON null, an id not in the set, a number, or another object of the set (forests, cycles, self-references).</summary>
    private static readonly Gen<int> Supervisor = Gen.Frequency((1, Gen.Int[-4, -1]), (3, Gen.Int[0, 40]));

    /// <summary>Objects with few distinct keys, so ties on depth and key keep the order given; read in place or from nodes.</summary>
    private static readonly Gen<List<PlatformObject>> Objects =
        Gen.Select(Gen.Select(Supervisor, Gen.Int[0, 5], Gen.Bool).List[0, 40], Gen.Int).Select((specs, seed) =>
        {
            var random = new Random(seed);
            var ids = Enumerable.Range(0, specs.Count).Select(i => $"agt_{i}").OrderBy(_ => random.Next()).ToList();
            return specs.Select((spec, i) =>
            {
                var (supervisor, key, inPlace) = spec;
                var fields = new JsonObject { ["email"] = $"k{key}@x.example" };
                if (supervisor != -1)
                {
                    fields["supervisorId"] = supervisor switch
                    {
                        -2 => null,
                        -3 => "agt_elsewhere",
                        -4 => JsonValue.Create(key),
                        _ => ids[supervisor % specs.Count],
                    };
                }

                return inPlace
                    ? new PlatformObject(ids[i], $"k{key}", 1, NoLabels, JsonSerializer.SerializeToElement(fields))
                    : new PlatformObject(ids[i], $"k{key}", 1, NoLabels, fields);
            }).ToList();
        });

    [Fact]
    public void Deletes_come_deepest_first_then_by_key_as_the_walk_up_each_chain_orders_them()
    {
        Objects.Sample(objects => Planner.OrderDeletes(Agents, objects).Select(o => o.Id).Should().Equal(Definition(objects).Select(o => o.Id)), iter: 2_000);
    }

    [Fact]
    public void A_cycle_and_everything_below_it_go_before_any_chain_that_ends()
    {
        var objects = new List<PlatformObject>
        {
            Agent("agt_root", "a", null),
            Agent("agt_a", "b", "agt_b"),
            Agent("agt_b", "c", "agt_a"),
            Agent("agt_below", "d", "agt_a"),
            Agent("agt_child", "e", "agt_root"),
            Agent("agt_self", "f", "agt_self"),
        };

        Planner.OrderDeletes(Agents, objects).Select(o => o.Id).Should().Equal("agt_a", "agt_b", "agt_below", "agt_self", "agt_child", "agt_root");
    }

    [Fact]
    public void A_kind_without_a_reference_to_itself_is_ordered_by_key()
    {
        var objects = new List<PlatformObject> { Agent("r2", "b", null), Agent("r1", "a", null), Agent("r3", "b", null) };

        Planner.OrderDeletes(Roles, objects).Select(o => o.Id).Should().Equal("r1", "r2", "r3");
    }

    private static PlatformObject Agent(string id, string key, string? supervisor) =>
        new(id, key, 1, NoLabels, JsonSerializer.SerializeToElement(new JsonObject { ["supervisorId"] = supervisor }));

    /// <summary>The planner's order before depths were memoised: each object's depth by walking its chain, bounded by the count.</summary>
    private static IEnumerable<PlatformObject> Definition(List<PlatformObject> objects)
    {
        var byId = objects.ToDictionary(o => o.Id);
        int Depth(PlatformObject o)
        {
            var depth = 0;
            var current = o;
            while (depth < byId.Count && current.Fields["supervisorId"]?.ToString() is { } parent && byId.TryGetValue(parent, out var next))
            {
                depth++;
                current = next;
            }

            return depth;
        }

        return objects.OrderByDescending(Depth).ThenBy(o => o.Key, StringComparer.Ordinal);
    }
}
