using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;
using Reconciler.Core.Engine.Output;
using Reconciler.Core.Resources;
using static Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.Engine;

/// <summary>A large set's resources are planned on several threads; the plan must be the one a single pass makes.</summary>
public sealed class PlannerInParallelTests
{
    private static readonly string[] Names = ["ana", "ben", "cai", "dan", "eve", "fay", "gus", "hal", "ivo", "jon", "kim", "lou"];
    private static readonly string[] Roles = ["lead", "agent", "desk"];

    [Fact]
    public void Planned_on_several_threads_the_plan_is_the_one_a_single_pass_makes()
    {
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var harness = new EngineHarness();
                // Applied as far as it goes: what failed (a missing supervisor, a built-in role) is simply not on the platform.
                harness.ApplyAsync(Organization(random)).GetAwaiter().GetResult();
                EditByHand(harness.Platform, random);
                var resources = EngineHarness.Load(Organization(random));
                var observed = new ReconcileEngine(harness.Platform, new NoSecrets()).ObserveAsync(CancellationToken.None).GetAwaiter().GetResult().Value!;
                var desired = new DesiredState(resources, SecretValues.None);
                var options = new PlanOptions { KnownIds = new Dictionary<ResourceId, string> { [new ResourceId("Agent", "zed")] = "agt_zed" } };

                var single = Planner.Plan(desired, observed, options, inParallel: false);
                var several = Planner.Plan(desired, observed, options, inParallel: true);

                PlanJson.Write(several).Should().Be(PlanJson.Write(single));
                PlanRenderer.ToText(several).Should().Be(PlanRenderer.ToText(single));
                several.KnownIds.Should().Equal(single.KnownIds);
                several.Errors.Select(e => e.Address).Should().Equal(single.Errors.Select(e => e.Address));
                several.Unchanged.Select(u => u.Address).Should().Equal(single.Unchanged.Select(u => u.Address));
            },
            iter: 150);
    }

    /// <summary>Roles and agents with random roles, supervisors (some missing: a plan error) and languages.</summary>
    private static string Organization(Random random)
    {
        var roles = string.Concat(Roles.Where(_ => random.Next(5) > 0).Select(role => Role(role, random.Next(2) == 0 ? "inbox.view" : "reports.view")));
        var agents = string.Concat(Names.Where(_ => random.Next(4) > 0).Select(name => Agent(
            name,
            role: Roles[random.Next(Roles.Length)],
            supervisor: random.Next(3) == 0 ? null : random.Next(8) == 0 ? "zed" : Names[random.Next(Names.Length)],
            languages: random.Next(3) == 0 ? "en" : "en, de")));
        return roles + agents;
    }

    /// <summary>Console edits of some agents, and an agent made by hand that a manifest may adopt.</summary>
    private static void EditByHand(FakePlatform platform, Random random)
    {
        foreach (var agent in platform.All("agents").Where(_ => random.Next(3) == 0))
            platform.Edit("agents", agent.Id, fields => fields["displayName"] = "edited");
        var name = Names[random.Next(Names.Length)];
        if (platform.All("agents").All(a => a.Key != $"{name}@acme.example"))
            platform.Seed("agents", new JsonObject { ["email"] = $"{name}@acme.example", ["displayName"] = name, ["roleId"] = platform.All("roles").First(r => r.Key == "agent").Id, ["languages"] = new JsonArray("en") });
    }

    private sealed class NoSecrets : ISecretResolver
    {
        public ValueTask<SecretLookup> ResolveAsync(SecretKeyRef reference, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SecretLookup.Missing("no secrets here"));
    }
}
