using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>
/// The organisation's account settings over HTTP: push notifications with a write-only service-account key, the
/// session-recording retention, and what the platform maintains itself (helpdesk links, licences and seats in use).
/// </summary>
public sealed class OrganizationSettingsApiTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private const string KeyCanary = "firebase-key-canary-7d1e";

    public static TheoryData<string, string, string> InvalidSettings => new()
    {
        { """{"displayName":"A","timezone":"UTC","settings":{"sessionRecording":false,"sessionRecordingRetentionDays":30}}""", "settings.sessionRecordingRetentionDays", "retention without recording keeps nothing" },
        { """{"displayName":"A","timezone":"UTC","settings":{"sessionRecording":true,"sessionRecordingRetentionDays":0}}""", "settings.sessionRecordingRetentionDays", "retention below one day" },
        { """{"displayName":"A","timezone":"UTC","settings":{"sessionRecording":true,"sessionRecordingRetentionDays":3651}}""", "settings.sessionRecordingRetentionDays", "retention beyond ten years" },
        { """{"displayName":"A","timezone":"UTC","pushNotifications":{"firebaseProjectId":"Acme_Push","serviceAccountKey":"k"}}""", "pushNotifications.firebaseProjectId", "project ids are lower-case" },
        { """{"displayName":"A","timezone":"UTC","pushNotifications":{"firebaseProjectId":"acme-support-push"}}""", "pushNotifications.serviceAccountKey", "a key is needed when none is stored" },
        { """{"displayName":"A","timezone":"UTC","pushNotifications":{"serviceAccountKey":"k"}}""", "pushNotifications.firebaseProjectId", "the project id is required" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Invalid_settings_are_422_with_the_field_path(string body, string field, string why)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        var org = await (await client.GetAsync("organization")).Read<OrganizationDto>();
        using var request = new HttpRequestMessage(HttpMethod.Put, "organization") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{org.Version}\"");
        var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, why);
        (await response.Read<ProblemDto>()).Errors.Should().ContainKey(field, $"{why}: {await response.Content.ReadAsStringAsync()}");
        (await (await client.GetAsync("organization")).Read<OrganizationDto>()).Version.Should().Be(org.Version, "nothing is written");
    }

    [Theory, Sqlite, Postgres]
    public async Task The_service_account_key_is_write_only_kept_when_omitted_and_masked_in_the_audit_trail(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var org = await (await client.GetAsync("organization")).Read<OrganizationDto>();
        var withKey = await client.PutAsync("organization", org with { PushNotifications = new PushNotificationsDto { FirebaseProjectId = "acme-support-push", ServiceAccountKey = KeyCanary + "-one" } }, org.Version);
        withKey.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = await withKey.Content.ReadAsStringAsync();
        text.Should().NotContain(KeyCanary);
        var stored = await withKey.Read<OrganizationDto>();
        stored.PushNotifications!.ServiceAccountKeySet.Should().BeTrue();
        var firstSetAt = stored.PushNotifications.ServiceAccountKeyUpdatedAt;
        firstSetAt.Should().NotBeNull();

        var kept = await (await client.PutAsync("organization", stored with { ChatTimeoutMinutes = 45 }, stored.Version)).Read<OrganizationDto>();
        kept.PushNotifications!.ServiceAccountKeySet.Should().BeTrue("a replace without the key keeps the stored one");
        kept.PushNotifications.ServiceAccountKeyUpdatedAt.Should().Be(firstSetAt);

        var rotated = await (await client.PutAsync("organization", kept with { PushNotifications = kept.PushNotifications with { ServiceAccountKey = KeyCanary + "-two" } }, kept.Version)).Read<OrganizationDto>();
        rotated.Version.Should().Be(kept.Version + 1);

        (await client.GetStringAsync("organization")).Should().NotContain(KeyCanary);
        var audit = await client.GetStringAsync($"audit-events?objectId={org.Id}&limit=1000");
        audit.Should().NotContain(KeyCanary).And.Contain("pushNotifications.serviceAccountKey").And.Contain("***");
    }

    [Theory, Sqlite, Postgres]
    public async Task Seats_used_are_the_active_agents_counted_when_read_and_a_replace_never_changes_the_licence(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var set = await client.PutAsync("organization/licences", new LicencesDto { SeatsBought = 1000 }, null);
        set.StatusCode.Should().Be(HttpStatusCode.OK, await set.Content.ReadAsStringAsync());
        var before = (await (await client.GetAsync("organization")).Read<OrganizationDto>()).Licences!;
        before.SeatsBought.Should().Be(1000);

        var active = await client.CreateOk<AgentDto>("agents", Agent(Http.Unique("on"), active: true));
        await client.CreateOk<AgentDto>("agents", Agent(Http.Unique("off"), active: false));
        var org = await (await client.GetAsync("organization")).Read<OrganizationDto>();
        org.Licences!.SeatsUsed.Should().Be(before.SeatsUsed + 1, "only active agents use a seat");

        var deactivated = await client.PutAsync($"agents/{active.Id}", active with { Active = false }, active.Version);
        deactivated.StatusCode.Should().Be(HttpStatusCode.OK);
        var replaced = await client.PutAsync("organization", org with { Licences = new LicencesDto { SeatsBought = 5 }, HelpdeskLinks = [new HelpdeskLinkDto { Provider = "Zendesk", Connected = true, Account = "forged" }], DisplayName = "Renamed" }, org.Version);
        var after = await replaced.Read<OrganizationDto>();
        after.Licences!.SeatsBought.Should().Be(1000, "seats bought are billing's, not the replace's");
        after.Licences.SeatsUsed.Should().Be(before.SeatsUsed, "the deactivated agent frees their seat");
        after.HelpdeskLinks!.Single(l => l.Provider == "Zendesk").Account.Should().NotBe("forged");
    }

    [Theory, Sqlite, Postgres]
    public async Task A_helpdesk_link_report_is_audited_and_versioned_and_the_profile_shows_every_provider(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var org = await (await client.GetAsync("organization")).Read<OrganizationDto>();
        var linked = await client.PutAsync("organization/helpdesk-links", new HelpdeskLinkDto { Provider = "Intercom", Connected = true, Account = "acme-workspace" }, null);
        linked.StatusCode.Should().Be(HttpStatusCode.OK, await linked.Content.ReadAsStringAsync());
        var after = await linked.Read<OrganizationDto>();
        after.Version.Should().Be(org.Version + 1);
        after.HelpdeskLinks!.Select(l => l.Provider).Should().Equal("Intercom", "Zendesk", "Salesforce");
        after.HelpdeskLinks![0].Should().Match<HelpdeskLinkDto>(l => l.Connected && l.Account == "acme-workspace" && l.Since != null);

        var again = await (await client.PutAsync("organization/helpdesk-links", new HelpdeskLinkDto { Provider = "Intercom", Connected = true, Account = "acme-workspace" }, null)).Read<OrganizationDto>();
        again.Version.Should().Be(after.Version, "the same report changes nothing");
        (await client.GetStringAsync($"audit-events?objectId={org.Id}&limit=1000")).Should().Contain("helpdeskLinks");
    }

    [Theory]
    [InlineData("helpdesk-links", """{"provider":"Freshdesk","connected":true,"account":"a"}""", "provider")]
    [InlineData("helpdesk-links", """{"provider":"Zendesk","connected":true}""", "account")]
    [InlineData("licences", """{"seatsBought":-1}""", "seatsBought")]
    [InlineData("licences", """{"seatsBought":10,"seatsUsed":3}""", "seatsUsed")]
    public async Task A_report_the_platform_cannot_take_is_422(string path, string body, string field)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        var response = await client.PutAsync($"organization/{path}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Read<ProblemDto>()).Errors.Should().ContainKey(field);
    }

    private static AgentDto Agent(string name, bool active) => new()
    {
        Email = $"{name}@acme.example",
        DisplayName = name,
        RoleId = "rol_agent",
        Active = active,
    };
}
