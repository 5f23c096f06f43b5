using System.Net.Http.Headers;
using k8s;
using System.Text;
using System.Text.Json.Nodes;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>
/// A Channel through the operator: the platform's connection report raises the Connected condition and the
/// reconciler_channel_connected gauge; rotating the token's Secret pushes it, which reconnects the channel.
/// </summary>
[Collection(ScrapingCollection.Name)]
public sealed class ChannelOperatorTests
{
    [Fact]
    public async Task A_disconnected_channel_raises_its_condition_and_gauge_and_a_rotated_token_reconnects_it()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.ConnectAsync(new JsonObject
        {
            // No periodic resync within the test: what it sees comes from the audit feed and the Secret watch.
            ["resyncInterval"] = "10m",
        });
        await fixture.CreateSecretAsync("telegram-bot", "token", "CANARY-token-v1");
        var host = fixture.StartOperator();
        await fixture.CreateAsync("Channel", "telegram-support", new JsonObject
        {
            ["type"] = "Telegram",
            ["telegram"] = new JsonObject { ["botName"] = "Acme Support", ["botUsername"] = "acme_support_bot", ["tokenSecretRef"] = new JsonObject { ["name"] = "telegram-bot", ["key"] = "token" } },
        });
        await OperatorFixture.EventuallyAsync(async () => Connected(await fixture.GetAsync("Channel", "telegram-support")) == ("True", "Connected"), "Connected=True");
        await OperatorFixture.EventuallyAsync(async () => Gauge(await host.ScrapeMetricsAsync()) == "1", "the gauge at " + "1");
        var id = (await fixture.GetAsync("Channel", "telegram-support")).Status!["id"]!.GetValue<string>();

        // The provider reports the token revoked.
        using var http = new HttpClient { BaseAddress = fixture.Platform.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorFixture.HumanToken);
        var report = await http.PutAsync($"api/v1/channels/{id}/connection", new StringContent("""{"state":"Error","message":"401 Unauthorized: bot token revoked"}""", Encoding.UTF8, "application/json"));
        report.IsSuccessStatusCode.Should().BeTrue(await report.Content.ReadAsStringAsync());

        await OperatorFixture.EventuallyAsync(async () => Connected(await fixture.GetAsync("Channel", "telegram-support")) == ("False", "Error"), "Connected=False reason Error");
        var failed = await fixture.GetAsync("Channel", "telegram-support");
        failed.Status!["connection"]!["message"]!.GetValue<string>().Should().Be("401 Unauthorized: bot token revoked");
        Message(failed).Should().Be("401 Unauthorized: bot token revoked");
        OperatorFixture.IsSynced(failed).Should().BeTrue("a disconnected channel is still in sync with its spec");
        await OperatorFixture.EventuallyAsync(async () => Gauge(await host.ScrapeMetricsAsync()) == "0", "the gauge at " + "0");

        // A new token in the Secret is pushed, and new credentials reconnect the channel.
        var audit = (await fixture.AuditAsync()).Count;
        await fixture.Client.PatchAsync<Secret>(ResourceType.Secrets, OperatorFixture.Namespace, "telegram-bot",
            new JsonObject { ["data"] = new JsonObject { ["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("CANARY-token-v2")) } });
        await OperatorFixture.EventuallyAsync(async () => Connected(await fixture.GetAsync("Channel", "telegram-support")) == ("True", "Connected"), "Connected=True after the rotation");
        var pushed = (await fixture.AuditAsync()).Skip(audit).Where(e => e.Reason?.Contains("Channel/telegram-support", StringComparison.Ordinal) == true).ToList();
        pushed.Should().ContainSingle().Which.ChangedFields.Should().Contain("telegram.token");
        await OperatorFixture.EventuallyAsync(async () => Gauge(await host.ScrapeMetricsAsync()) == "1", "the gauge at " + "1");

        var everything = (await fixture.GetAsync("Channel", "telegram-support")).Status!.ToJsonString() + string.Join('\n', (await fixture.AuditAsync()).Select(e => string.Join(',', e.ChangedFields)));
        everything.Should().NotContain("CANARY");
    }

    /// <summary>
    /// A provider's error quotes the bot token as Telegram's API addresses carry it (<c>/bot&lt;token&gt;/getMe</c>), and
    /// the platform reports that text as the channel's connection: the Channel's status and Events must not repeat it.
    /// </summary>
    [Fact]
    public async Task A_connection_report_that_quotes_the_channels_token_shows_it_masked()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.ConnectAsync(new JsonObject { ["resyncInterval"] = "10m" });
        await fixture.CreateSecretAsync("telegram-bot", "token", "123456:CANARY-token-v1");
        fixture.StartOperator();
        await fixture.CreateAsync("Channel", "telegram-support", new JsonObject
        {
            ["type"] = "Telegram",
            ["telegram"] = new JsonObject { ["botName"] = "Acme Support", ["botUsername"] = "acme_support_bot", ["tokenSecretRef"] = new JsonObject { ["name"] = "telegram-bot", ["key"] = "token" } },
        });
        await OperatorFixture.EventuallyAsync(async () => Connected(await fixture.GetAsync("Channel", "telegram-support")) == ("True", "Connected"), "Connected=True");
        var id = (await fixture.GetAsync("Channel", "telegram-support")).Status!["id"]!.GetValue<string>();

        using var http = new HttpClient { BaseAddress = fixture.Platform.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorFixture.HumanToken);
        var quoted = new JsonObject { ["state"] = "Error", ["message"] = "GET https://api.telegram.org/bot123456:CANARY-token-v1/getMe: 401 Unauthorized" };
        var report = await http.PutAsync($"api/v1/channels/{id}/connection", new StringContent(quoted.ToJsonString(), Encoding.UTF8, "application/json"));
        report.IsSuccessStatusCode.Should().BeTrue(await report.Content.ReadAsStringAsync());

        await OperatorFixture.EventuallyAsync(async () => Connected(await fixture.GetAsync("Channel", "telegram-support")) == ("False", "Error"), "Connected=False reason Error");
        var failed = await fixture.GetAsync("Channel", "telegram-support");
        Message(failed).Should().Be("GET https://api.telegram.org/bot(sensitive value)/getMe: 401 Unauthorized");
        var events = await fixture.Client.Api.EventsV1.ListNamespacedEventAsync(OperatorFixture.Namespace);
        (failed.Status!.ToJsonString() + string.Join('\n', events.Items.Select(e => e.Note))).Should().NotContain("CANARY");
    }

    private static (string? Status, string? Reason) Connected(CustomResource channel)
    {
        var status = OperatorFixture.Condition(channel, "Connected", out var reason);
        return (status, reason);
    }

    private static string? Message(CustomResource channel) =>
        (channel.Status?["conditions"] as JsonArray)?.OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == "Connected")["message"]?.GetValue<string>();

    /// <summary>The value of telegram-support's reconciler_channel_connected series.</summary>
    private static string? Gauge(string metrics) =>
        metrics.Split('\n')
            .Where(l => l.StartsWith("reconciler_channel_connected{", StringComparison.Ordinal) && l.Contains("name=\"telegram-support\"", StringComparison.Ordinal)
                && l.Contains("namespace=\"acme\"", StringComparison.Ordinal) && l.Contains("type=\"Telegram\"", StringComparison.Ordinal))
            .Select(l => l[(l.LastIndexOf(' ') + 1)..])
            .SingleOrDefault();
}
