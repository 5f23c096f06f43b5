using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>
/// An Agent's invitation through the operator: the status shows it Invited once created, Accepted once the person accepts
/// (heard from the platform's audit feed, not a resync), and an in-sync restart writes no status.
/// </summary>
[Collection(ScrapingCollection.Name)]
public sealed class AgentInvitationOperatorTests
{
    [Fact]
    public async Task The_status_shows_the_invitation_moving_to_Accepted_and_a_restart_in_sync_writes_no_status()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.CreateSecretAsync("reconciler-platform-token", "token", OperatorFixture.OperatorToken);
        await fixture.CreateAsync("PlatformConnection", "platform", new JsonObject
        {
            ["url"] = fixture.Platform.BaseUrl.AbsoluteUri,
            ["tokenSecretRef"] = new JsonObject { ["name"] = "reconciler-platform-token", ["key"] = "token" },
            // No periodic resync within the test: acceptance reaches the status through the audit feed.
            ["resyncInterval"] = "10m",
            ["requestsPerSecond"] = 1000,
        });
        var first = fixture.StartOperator("op-1");
        await fixture.CreateAsync("Agent", "ana", new JsonObject
        {
            ["email"] = "ana.souza@acme.example",
            ["displayName"] = "Ana Souza",
            ["roleRef"] = new JsonObject { ["name"] = "agent" },
        });

        await OperatorFixture.EventuallyAsync(async () => State(await fixture.GetAsync("Agent", "ana")) == "Invited", "status.invitation.state Invited");
        var invited = (await fixture.GetAsync("Agent", "ana")).Status!["invitation"]!;
        invited["invitedAt"].Should().NotBeNull();
        invited["acceptedAt"].Should().BeNull();
        var id = (await fixture.GetAsync("Agent", "ana")).Status!["id"]!.GetValue<string>();
        var operatorWrites = (await fixture.AuditAsync()).Count;

        using var http = new HttpClient { BaseAddress = fixture.Platform.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorFixture.HumanToken);
        var accept = await http.PostAsync($"api/v1/agents/{id}/invitation/accept", null);
        accept.IsSuccessStatusCode.Should().BeTrue(await accept.Content.ReadAsStringAsync());

        await OperatorFixture.EventuallyAsync(async () => State(await fixture.GetAsync("Agent", "ana")) == "Accepted", "status.invitation.state Accepted");
        var accepted = await fixture.GetAsync("Agent", "ana");
        accepted.Status!["invitation"]!["acceptedAt"].Should().NotBeNull();
        accepted.Status["invitation"]!["invitedAt"]!.ToJsonString().Should().Be(invited["invitedAt"]!.ToJsonString());
        OperatorFixture.IsSynced(accepted).Should().BeTrue("acceptance is the platform's own fact, not drift");
        (await fixture.AuditAsync()).Skip(operatorWrites).Should().ContainSingle("the acceptance is the only change; the operator writes nothing back")
            .Which.ChangedFields.Should().Contain("invitation.state");

        await fixture.StopOperatorAsync(first);
        fixture.Kube.ResetRequests();
        var second = fixture.StartOperator("op-2");
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(second.IsLeading && second.Runtime!.HasSynced), "op-2 leading with synced caches", TimeSpan.FromSeconds(20));
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(second.Runtime!.Connections.All.Any(c => c.IsReady)), "op-2 connected");
        await Task.Delay(TimeSpan.FromSeconds(3));

        (fixture.Kube.CountRequests("patch", subresource: "status") + fixture.Kube.CountRequests("update", subresource: "status"))
            .Should().Be(0, "the invitation in the status already says what the platform reports");
    }

    private static string? State(CustomResource agent) => agent.Status?["invitation"]?["state"]?.GetValue<string>();
}
