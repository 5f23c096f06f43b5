using System.Text.Json.Nodes;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Operator.Tests.EndToEnd;

namespace Reconciler.Operator.Tests.Controllers;

/// <summary>A SCIM actor and the operator share agents: owned fields are SCIM's, the rest git's, per the drift policy.</summary>
public sealed class FieldOwnersOperatorTests
{
    private static async Task<OperatorFixture> StartAsync(DriftPolicy policy)
    {
        var fixture = await OperatorFixture.StartAsync();
        await fixture.ConnectAsync(new JsonObject
        {
            ["driftPolicy"] = policy.ToString(),
            ["resyncInterval"] = "1s",
            ["fieldOwners"] = new JsonObject { ["scim"] = new JsonArray("Agent.email", "Agent.displayName", "Agent.active") },
        });
        return fixture;
    }

    private static async Task<PlatformObject> AgentAsync(OperatorFixture fixture) =>
        (await fixture.Human.ListAsync("agents", CancellationToken.None)).Value!.Single(a => a.Key == "maria@acme.example");

    private static async Task ScimEditsAsync(OperatorFixture fixture, Action<JsonObject> edit)
    {
        var current = await AgentAsync(fixture);
        var body = (JsonObject)current.Fields.DeepClone();
        edit(body);
        body["labels"] = new JsonObject([.. current.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        (await fixture.Scim.ReplaceAsync("agents", current.Id, current.Version, body, new("scim provisioning"), CancellationToken.None)).IsOk.Should().BeTrue();
    }

    [Theory]
    [InlineData(DriftPolicy.Correct)]
    [InlineData(DriftPolicy.Report)]
    public async Task ScimChangingOwnedAndOtherFields_OwnedStandWithoutDrift_OthersFollowTheDriftPolicy(DriftPolicy policy)
    {
        await using var fixture = await StartAsync(policy);

        // SCIM provisions the person first; git then adopts the agent and adds the role.
        var created = await fixture.Scim.CreateAsync("agents", new JsonObject
        {
            ["email"] = "maria@acme.example",
            ["displayName"] = "Maria Santos",
            ["roleId"] = (await fixture.Human.ListAsync("roles", CancellationToken.None)).Value!.Single(r => r.Key == "agent").Id,
            ["active"] = true,
        }, Guid.NewGuid().ToString("N"), new("scim provisioning"), CancellationToken.None);
        created.IsOk.Should().BeTrue(created.Message);
        fixture.StartOperator();
        await fixture.CreateAsync("Agent", "maria", new JsonObject
        {
            ["email"] = "maria@acme.example",
            ["displayName"] = "Maria (as git spells it)",
            ["roleRef"] = new JsonObject { ["name"] = "supervisor" },
            ["level"] = "L2",
        });
        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("Agent", "maria")), "maria adopted");
        var adopted = await AgentAsync(fixture);
        adopted.Fields["displayName"]!.GetValue<string>().Should().Be("Maria Santos", "adoption leaves what SCIM owns");
        adopted.Fields["level"]!.GetValue<string>().Should().Be("L2");

        await ScimEditsAsync(fixture, f => { f["displayName"] = "Maria Santos-Lima"; f["active"] = false; f["level"] = "Expert"; });

        if (policy == DriftPolicy.Correct)
        {
            await OperatorFixture.EventuallyAsync(async () => (await AgentAsync(fixture)).Fields["level"]!.GetValue<string>() == "L2", "level corrected");
        }
        else
        {
            await OperatorFixture.EventuallyAsync(async () => OperatorFixture.Condition(await fixture.GetAsync("Agent", "maria"), "Drifted", out _) == "True", "drift reported");
            var status = (await fixture.GetAsync("Agent", "maria")).Status!;
            status["driftedFields"]!.AsArray().Select(f => (f!["field"]!.GetValue<string>(), f["changedBy"]!.GetValue<string>())).Should().Equal(("level", "scim"));
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var agent = await AgentAsync(fixture);
        (agent.Fields["displayName"]!.GetValue<string>(), agent.Fields["active"]!.GetValue<bool>()).Should().Be(("Maria Santos-Lima", false), "what SCIM owns is never written back");
        var operatorWrites = (await fixture.AuditAsync()).Where(e => e.Actor == "reconciler-operator" && e.Collection == "agents").ToList();
        operatorWrites.SelectMany(e => e.ChangedFields).Should().NotContain(["displayName", "active", "email"]);
        if (policy == DriftPolicy.Report)
            agent.Fields["level"]!.GetValue<string>().Should().Be("Expert", "Report leaves the platform as it is");
    }
}
