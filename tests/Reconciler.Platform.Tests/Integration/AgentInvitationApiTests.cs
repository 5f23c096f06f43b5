using Microsoft.Extensions.Time.Testing;
using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>Agent invitations over HTTP: sent when an agent is saved, accepted by the person, never sent again once accepted.</summary>
public sealed class AgentInvitationApiTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private static string Email() => $"{Http.Unique("inv")}@acme.example";

    [Theory, Sqlite, Postgres]
    public async Task Saving_an_active_agent_sends_an_invitation_to_its_address(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var email = Email();

        var agent = await client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent(email));

        agent.Invitation.Should().NotBeNull();
        agent.Invitation!.State.Should().Be("Invited");
        agent.Invitation.SentTo.Should().Be(email);
        agent.Invitation.InvitedAt.Should().Be(agent.CreatedAt!.Value);
        agent.Invitation.AcceptedAt.Should().BeNull();
        (await client.GetStringAsync($"audit-events?objectId={agent.Id}")).Should().Contain("invitation.state");
    }

    [Theory, Sqlite, Postgres]
    public async Task Accepting_makes_the_invitation_Accepted_audited_and_accepting_again_changes_nothing(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var agent = await client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent(Email()));

        var accepted = await client.PostAsync($"agents/{agent.Id}/invitation/accept", new { }, reason: "clicked the link");

        accepted.StatusCode.Should().Be(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        var after = await accepted.Read<AgentDto>();
        after.Invitation!.State.Should().Be("Accepted");
        after.Invitation.AcceptedAt.Should().NotBeNull();
        after.Invitation.InvitedAt.Should().Be(agent.Invitation!.InvitedAt);
        after.Version.Should().Be(agent.Version + 1);
        var audit = await client.GetStringAsync($"audit-events?objectId={agent.Id}");
        audit.Should().Contain("\"field\":\"invitation.state\",\"from\":\"Invited\",\"to\":\"Accepted\"").And.Contain("clicked the link");

        var again = await (await client.PostAsync($"agents/{agent.Id}/invitation/accept", new { })).Read<AgentDto>();
        again.Version.Should().Be(after.Version, "accepting an accepted invitation is not a change");
    }

    [Theory, Sqlite, Postgres]
    public async Task An_accepted_agent_is_never_invited_again_by_a_new_address_deactivation_or_reactivation(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var agent = await client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent(Email()));
        var accepted = await (await client.PostAsync($"agents/{agent.Id}/invitation/accept", new { })).Read<AgentDto>();

        var moved = await (await client.PutAsync($"agents/{agent.Id}", accepted with { Email = Email() }, accepted.Version)).Read<AgentDto>();
        var off = await (await client.PutAsync($"agents/{agent.Id}", moved with { Active = false }, moved.Version)).Read<AgentDto>();
        var on = await (await client.PutAsync($"agents/{agent.Id}", off with { Active = true }, off.Version)).Read<AgentDto>();

        foreach (var step in new[] { moved, off, on })
            step.Invitation.Should().Be(accepted.Invitation, "an accepted invitation is final");
        (await client.PostAsync($"agents/{agent.Id}/invitation/resend", new { })).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Theory, Sqlite, Postgres]
    public async Task A_pending_invitation_follows_a_changed_address_but_not_a_change_of_case_or_a_deactivation(Backend backend)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await using var platform = await TestPlatform.StartAsync(backend, o => o.TimeProvider = time);
        var client = platform.Client;
        var agent = await client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent("ana@acme.example"));

        time.Advance(TimeSpan.FromDays(1));
        var recased = await (await client.PutAsync($"agents/{agent.Id}", agent with { Email = "Ana@Acme.example", DisplayName = "Ana" }, agent.Version)).Read<AgentDto>();
        recased.Invitation.Should().Be(agent.Invitation, "the same address in other case is the same mailbox");

        time.Advance(TimeSpan.FromDays(1));
        var moved = await (await client.PutAsync($"agents/{agent.Id}", recased with { Email = "ana.souza@acme.example" }, recased.Version)).Read<AgentDto>();
        moved.Invitation!.State.Should().Be("Invited");
        moved.Invitation.SentTo.Should().Be("ana.souza@acme.example");
        moved.Invitation.InvitedAt.Should().Be(time.GetUtcNow(), "the pending invitation is sent again, to the new address");

        time.Advance(TimeSpan.FromDays(1));
        var off = await (await client.PutAsync($"agents/{agent.Id}", moved with { Active = false }, moved.Version)).Read<AgentDto>();
        var on = await (await client.PutAsync($"agents/{agent.Id}", off with { Active = true }, off.Version)).Read<AgentDto>();
        off.Invitation.Should().Be(moved.Invitation);
        on.Invitation.Should().Be(moved.Invitation, "reactivating does not send a pending invitation again");
    }

    [Theory, Sqlite, Postgres]
    public async Task An_agent_saved_inactive_is_invited_when_first_activated_and_cannot_accept_before(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var agent = await client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent(Email()) with { Active = false });
        agent.Invitation.Should().BeNull();

        var early = await client.PostAsync($"agents/{agent.Id}/invitation/accept", new { });
        early.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await early.Read<ProblemDto>()).Detail.Should().Contain("no invitation has been sent");

        var active = await (await client.PutAsync($"agents/{agent.Id}", agent with { Active = true }, agent.Version)).Read<AgentDto>();
        active.Invitation!.State.Should().Be("Invited");
    }

    [Theory, Sqlite, Postgres]
    public async Task The_invitation_is_read_only_in_creates_and_replaces(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var forged = new AgentInvitationDto { State = "Accepted", SentTo = "x@acme.example", InvitedAt = DateTimeOffset.UnixEpoch, AcceptedAt = DateTimeOffset.UnixEpoch };
        var agent = await client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent(Email()) with { Invitation = forged });
        agent.Invitation!.State.Should().Be("Invited");

        var replaced = await (await client.PutAsync($"agents/{agent.Id}", agent with { Invitation = forged }, agent.Version)).Read<AgentDto>();
        replaced.Invitation.Should().Be(agent.Invitation);
        replaced.Version.Should().Be(agent.Version, "a replace that only forges the invitation changes nothing");
    }

    [Theory, Sqlite]
    public async Task Resending_a_pending_invitation_sends_it_again_and_a_missing_agent_is_404(Backend backend)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await using var platform = await TestPlatform.StartAsync(backend, o => o.TimeProvider = time);
        var agent = await platform.Client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent(Email()));

        time.Advance(TimeSpan.FromDays(8));
        var resent = await (await platform.Client.PostAsync($"agents/{agent.Id}/invitation/resend", new { })).Read<AgentDto>();

        resent.Invitation!.InvitedAt.Should().Be(time.GetUtcNow());
        resent.Invitation.State.Should().Be("Invited");
        (await platform.Client.PostAsync("agents/agt_nope/invitation/accept", new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Accepting_needs_the_write_scope()
    {
        var platform = await servers.Get(Backend.Sqlite);
        var agent = await platform.Client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent(Email()));
        using var anonymous = platform.NewClient(null);

        (await anonymous.PostAsync($"agents/{agent.Id}/invitation/accept", new { })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
