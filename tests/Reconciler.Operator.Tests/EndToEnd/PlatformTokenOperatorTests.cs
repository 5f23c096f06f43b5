using System.Text.Json.Nodes;
using k8s;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>A PlatformConnection whose token Secret holds the wrong token: its status and Events say so without the token.</summary>
public sealed class PlatformTokenOperatorTests
{
    [Theory]
    [InlineData("CANARY-wrong-token-0123456789", "Unauthorized")]
    [InlineData("CANARY-wrong-token-0123456789\n", "Unauthorized")]
    public async Task A_wrong_token_is_reported_on_the_connection_without_the_token(string token, string reason)
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.CreateSecretAsync("reconciler-platform-token", "token", token);
        await fixture.CreateAsync("PlatformConnection", "platform", new JsonObject
        {
            ["url"] = fixture.Platform.BaseUrl.AbsoluteUri,
            ["tokenSecretRef"] = new JsonObject { ["name"] = "reconciler-platform-token", ["key"] = "token" },
        });
        await fixture.CreateAsync("TagGroup", "priority", new JsonObject { ["displayName"] = "Priority", ["appliesTo"] = "Chats" });
        fixture.StartOperator();

        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.Condition(await fixture.GetAsync("PlatformConnection", "platform"), "Ready", out var why) == "False" && why == reason, "Ready=False " + reason);
        await OperatorFixture.EventuallyAsync(async () => (await fixture.GetAsync("TagGroup", "priority")).Status?["conditions"] is not null, "the TagGroup's status says why it waits");

        var events = await fixture.Client.Api.EventsV1.ListNamespacedEventAsync(OperatorFixture.Namespace);
        var everything = (await fixture.GetAsync("PlatformConnection", "platform")).Status!.ToJsonString()
            + (await fixture.GetAsync("TagGroup", "priority")).Status!.ToJsonString()
            + string.Join('\n', events.Items.Select(e => e.Note));
        everything.Should().NotContain("CANARY").And.NotContain(OperatorFixture.OperatorToken);
    }

    /// <summary>
    /// A token Secret made from a file that ends in a line break (<c>echo $TOKEN &gt; token; kubectl create secret generic
    /// … --from-file=token</c>) connects, as the CLI's <c>--secrets-dir</c> reads the same file: no token ends with one.
    /// </summary>
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public async Task A_token_secret_whose_value_ends_in_a_line_break_connects(string end)
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.CreateSecretAsync("reconciler-platform-token", "token", OperatorFixture.OperatorToken + end);
        await fixture.CreateAsync("PlatformConnection", "platform", new JsonObject
        {
            ["url"] = fixture.Platform.BaseUrl.AbsoluteUri,
            ["tokenSecretRef"] = new JsonObject { ["name"] = "reconciler-platform-token", ["key"] = "token" },
        });
        fixture.StartOperator();

        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.Condition(await fixture.GetAsync("PlatformConnection", "platform"), "Ready", out _) == "True", "Ready=True");
    }

    /// <summary>A user name or password in the PlatformConnection's url is not sent (the token authenticates) and not repeated in its status.</summary>
    [Fact]
    public async Task A_password_in_the_connections_url_is_not_repeated_in_its_status()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.CreateSecretAsync("reconciler-platform-token", "token", OperatorFixture.OperatorToken);
        var url = new UriBuilder(fixture.Platform.BaseUrl) { UserName = "op", Password = "CANARY-password" }.Uri.AbsoluteUri;
        await fixture.CreateAsync("PlatformConnection", "platform", new JsonObject
        {
            ["url"] = url,
            ["tokenSecretRef"] = new JsonObject { ["name"] = "reconciler-platform-token", ["key"] = "token" },
        });
        fixture.StartOperator();

        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.Condition(await fixture.GetAsync("PlatformConnection", "platform"), "Ready", out _) == "True", "Ready=True");

        var events = await fixture.Client.Api.EventsV1.ListNamespacedEventAsync(OperatorFixture.Namespace);
        ((await fixture.GetAsync("PlatformConnection", "platform")).Status!.ToJsonString() + string.Join('\n', events.Items.Select(e => e.Note))).Should().NotContain("CANARY");
    }
}
