using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Tests.Engine;
using static Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.Mapping;

/// <summary>An agent's invitation: shown in its status as the platform reports it, and said in a plan before the platform sends one.</summary>
public sealed class AgentInvitationTests
{
    private static readonly string NL = Environment.NewLine;
    private static readonly DateTimeOffset InvitedAt = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static JsonObject Invitation(string state, string sentTo, DateTimeOffset? acceptedAt = null) => (JsonObject)JsonNode.Parse(
        $$"""{"state":"{{state}}","sentTo":"{{sentTo}}","invitedAt":"{{InvitedAt:O}}"{{(acceptedAt is { } at ? $",\"acceptedAt\":\"{at:O}\"" : "")}}}""")!;

    private static PlatformObject Observed(JsonObject? invitation) =>
        new("agt_1", "ana@acme.example", 4, new Dictionary<string, string>(), new JsonObject { ["email"] = "ana@acme.example", ["active"] = true, ["invitation"] = invitation });

    [Fact]
    public void The_status_shows_the_reported_invitation_and_an_unchanged_report_keeps_the_same_status()
    {
        var acceptedAt = InvitedAt.AddDays(2);
        var observed = Observed(Invitation("Accepted", "ana@acme.example", acceptedAt));

        var status = (AgentStatus)AgentKind.Description.WithObservedFacts(new AgentStatus { ObservedGeneration = 1 }, observed, SecretValues.None);
        var again = (AgentStatus)AgentKind.Description.WithObservedFacts(status, observed, SecretValues.None);

        status.Invitation.Should().Be(new AgentInvitation { State = "Accepted", InvitedAt = InvitedAt, AcceptedAt = acceptedAt });
        ReferenceEquals(again.Invitation, status.Invitation).Should().BeTrue("an unchanged report yields the same status, so nothing is written");
        again.Should().Be(status);
    }

    [Fact]
    public void An_agent_the_platform_has_not_invited_has_no_invitation_in_its_status()
    {
        var status = (AgentStatus)AgentKind.Description.WithObservedFacts(new AgentStatus { Invitation = new AgentInvitation { State = "Invited" } }, Observed(null), SecretValues.None);

        status.Invitation.Should().BeNull();
    }

    [Fact]
    public async Task A_plan_says_a_new_agent_will_be_invited_and_an_inactive_one_not_yet()
    {
        var harness = new EngineHarness();
        var yaml = Agent("ana") + Agent("budi").Replace("  capabilities", "  active: false\n  capabilities", StringComparison.Ordinal);

        var plan = (await harness.PlanAsync(yaml)).Plan;
        var text = PlanRenderer.ToText(plan);

        text.Should().Contain("      # invitation will be sent to ana@acme.example" + NL);
        text.Should().Contain("      # no invitation is sent while the agent is inactive; it is sent when the agent is activated" + NL);
        var json = JsonNode.Parse(PlanRenderer.ToJson(plan))!["resource_changes"]!.AsArray();
        json.Single(c => c!["name"]!.GetValue<string>() == "ana")!["change"]!["effects"]!.AsArray().Select(e => e!.GetValue<string>())
            .Should().Equal("invitation will be sent to ana@acme.example");
    }

    public static TheoryData<string, string, string, string?> Updates => new()
    {
        { "accepted, deactivated", "Accepted", "active: false", null },
        { "accepted, renamed", "Accepted", "displayName: Ana S.", null },
        { "pending, renamed", "Invited", "displayName: Ana S.", null },
        { "pending, deactivated", "Invited", "active: false", null },
    };

    [Theory]
    [MemberData(nameof(Updates))]
    public async Task A_plan_never_invites_an_agent_again_who_accepted_or_whose_pending_invitation_went_to_the_same_address(string why, string state, string change, string? effect)
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("ana"));
        var agent = harness.Platform.All("agents").Single();
        harness.Platform.Edit("agents", agent.Id, f => f["invitation"] = Invitation(state, "ana@acme.example"), actor: "platform");
        var yaml = Agent("ana").Replace("  displayName: ana\n", "", StringComparison.Ordinal).Replace("  capabilities", $"  {change}\n  capabilities", StringComparison.Ordinal);
        if (!yaml.Contains("displayName", StringComparison.Ordinal))
            yaml = yaml.Replace("  capabilities", "  displayName: ana\n  capabilities", StringComparison.Ordinal);

        var plan = (await harness.PlanAsync(yaml)).Plan;

        plan.Changes.Should().ContainSingle(why);
        plan.Changes[0].Effects.Should().BeEquivalentTo(effect is null ? [] : new[] { effect }, why);
        PlanRenderer.ToText(plan).Should().NotContain("invitation", why);
    }

    [Fact]
    public async Task A_plan_that_activates_an_agent_never_invited_says_the_invitation_will_be_sent()
    {
        var harness = new EngineHarness();
        var inactive = Agent("ana").Replace("  capabilities", "  active: false\n  capabilities", StringComparison.Ordinal);
        await harness.ApplyAsync(inactive);

        var text = PlanRenderer.ToText((await harness.PlanAsync(Agent("ana"))).Plan);

        text.Should().Contain("      ~ spec.active: false -> true" + NL + "      # invitation will be sent to ana@acme.example" + NL);
    }

    [Fact]
    public async Task A_pending_invitation_to_another_address_is_said_to_be_sent_again_to_the_agents_address()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("ana").Replace("  capabilities", "  active: false\n  capabilities", StringComparison.Ordinal));
        var agent = harness.Platform.All("agents").Single();
        harness.Platform.Edit("agents", agent.Id, f => f["invitation"] = Invitation("Invited", "ana.old@acme.example"), actor: "platform");

        var text = PlanRenderer.ToText((await harness.PlanAsync(Agent("ana"))).Plan);

        text.Should().Contain("      # invitation will be sent again, to ana@acme.example (the pending one went to ana.old@acme.example)" + NL);
    }
}
