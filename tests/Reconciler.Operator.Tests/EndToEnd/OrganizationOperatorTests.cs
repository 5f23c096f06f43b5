using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>
/// The Organization through the operator: its status shows the licence usage and helpdesk links the platform reports,
/// a SeatsExceeded condition and the seat gauges; the seats guard refuses an Agent that would need a seat the account
/// does not have; the Firebase key is pushed and never shows.
/// </summary>
[Collection(ScrapingCollection.Name)]
public sealed class OrganizationOperatorTests
{
    private const string KeyCanary = "CANARY-firebase-key";

    [Fact]
    public async Task The_status_shows_licences_and_helpdesk_links_warns_when_over_the_seats_and_the_seats_guard_refuses_an_activation()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        using var billing = new HttpClient { BaseAddress = fixture.Platform.BaseUrl };
        billing.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorFixture.HumanToken);
        foreach (var name in new[] { "ana", "ben" })
            await PutAsync(billing, "agents", $$"""{"email":"{{name}}@acme.example","displayName":"{{name}}","roleId":"rol_agent"}""", post: true);
        await PutAsync(billing, "organization/licences", """{"seatsBought":1}""");

        await fixture.CreateSecretAsync("reconciler-platform-token", "token", OperatorFixture.OperatorToken);
        await fixture.CreateAsync("PlatformConnection", "platform", new JsonObject
        {
            ["url"] = fixture.Platform.BaseUrl.AbsoluteUri,
            ["tokenSecretRef"] = new JsonObject { ["name"] = "reconciler-platform-token", ["key"] = "token" },
            // No periodic resync within the test: what it sees comes from the audit feed.
            ["resyncInterval"] = "10m",
            ["requestsPerSecond"] = 1000,
        });
        await fixture.CreateSecretAsync("firebase-push", "serviceAccountKey", KeyCanary + "-v1");
        var host = fixture.StartOperator();
        await fixture.CreateAsync("Organization", "acme", new JsonObject
        {
            ["displayName"] = "Acme Support",
            ["timezone"] = "Europe/Berlin",
            ["pushNotifications"] = new JsonObject
            {
                ["firebaseProjectId"] = "acme-support-push",
                ["serviceAccountKeySecretRef"] = new JsonObject { ["name"] = "firebase-push", ["key"] = "serviceAccountKey" },
            },
        });

        await OperatorFixture.EventuallyAsync(async () => Seats(await fixture.GetAsync("Organization", "acme")) == ("True", "SeatsExceeded"), "SeatsExceeded=True");
        var over = await fixture.GetAsync("Organization", "acme");
        OperatorFixture.IsSynced(over).Should().BeTrue("being over the seats is a warning, not a failure to sync");
        over.Status!["licences"]!.ToJsonString().Should().Be("""{"seatsUsed":2,"seatsBought":1}""");
        (await fixture.Human.GetOrganizationAsync(CancellationToken.None)).Value!.Fields["pushNotifications"]!["serviceAccountKeySet"]!.GetValue<bool>().Should().BeTrue();

        // A helpdesk is linked and billing sells more seats: the audit feed brings both to the status.
        await PutAsync(billing, "organization/helpdesk-links", """{"provider":"Zendesk","connected":true,"account":"acme.zendesk.example"}""");
        await PutAsync(billing, "organization/licences", """{"seatsBought":3}""");
        await OperatorFixture.EventuallyAsync(async () => Seats(await fixture.GetAsync("Organization", "acme")) == ("False", "WithinSeats"), "SeatsExceeded=False");
        var within = await fixture.GetAsync("Organization", "acme");
        within.Status!["licences"]!.ToJsonString().Should().Be("""{"seatsUsed":2,"seatsBought":3}""");
        var zendesk = (within.Status["helpdeskLinks"] as JsonArray)!.OfType<JsonObject>().Single(l => l["provider"]!.GetValue<string>() == "Zendesk");
        zendesk["connected"]!.GetValue<bool>().Should().BeTrue();
        zendesk["account"]!.GetValue<string>().Should().Be("acme.zendesk.example");
        await OperatorFixture.EventuallyAsync(async () => Gauges(await host.ScrapeMetricsAsync()) == ("2", "3"), "the seat gauges at 2 used, 3 bought");

        // One seat left: the first agent takes it, the second would need a fourth and is refused by the guard.
        await fixture.CreateAsync("Agent", "cai", Agent("cai"));
        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("Agent", "cai")), "cai synced");
        await fixture.CreateAsync("Agent", "dan", Agent("dan"));
        await OperatorFixture.EventuallyAsync(async () => Synced(await fixture.GetAsync("Agent", "dan")).Reason == "GuardRefused", "dan refused by a guard");
        var refused = Synced(await fixture.GetAsync("Agent", "dan"));
        refused.Message.Should().Contain("guard seats: the plan leaves 4 active agents but 3 seats are bought (1 over); it activates 1: Dan")
            .And.Contain("support.reconciler.dev/allow-guards: seats");
        (await fixture.Human.ListAsync("agents", CancellationToken.None)).Value!.Should().NotContain(a => a.Key == "dan@acme.example");

        var everything = (await fixture.GetAsync("Organization", "acme")).Status!.ToJsonString()
            + string.Join('\n', (await fixture.AuditAsync()).Select(e => string.Join(',', e.ChangedFields)))
            + await host.ScrapeMetricsAsync();
        everything.Should().NotContain("CANARY");
    }

    private static JsonObject Agent(string name) => new()
    {
        ["email"] = $"{name}@acme.example",
        ["displayName"] = char.ToUpperInvariant(name[0]) + name[1..],
        ["roleRef"] = new JsonObject { ["name"] = "agent" },
    };

    private static async Task PutAsync(HttpClient http, string path, string body, bool post = false)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = post ? await http.PostAsync($"api/v1/{path}", content) : await http.PutAsync($"api/v1/{path}", content);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
    }

    private static (string? Status, string? Reason) Seats(CustomResource organization) =>
        (OperatorFixture.Condition(organization, "SeatsExceeded", out var reason), reason);

    private static (string? Reason, string Message) Synced(CustomResource resource)
    {
        var condition = (resource.Status?["conditions"] as JsonArray)?.OfType<JsonObject>().SingleOrDefault(c => c["type"]!.GetValue<string>() == "Synced");
        return (condition?["reason"]?.GetValue<string>(), condition?["message"]?.GetValue<string>() ?? "");
    }

    private static (string? Used, string? Bought) Gauges(string metrics) => (Value(metrics, "reconciler_licence_seats_used"), Value(metrics, "reconciler_licence_seats_bought"));

    private static string? Value(string metrics, string gauge) =>
        metrics.Split('\n')
            .Where(l => l.StartsWith(gauge + "{", StringComparison.Ordinal) && l.Contains("name=\"acme\"", StringComparison.Ordinal))
            .Select(l => l[(l.LastIndexOf(' ') + 1)..])
            .FirstOrDefault();
}
