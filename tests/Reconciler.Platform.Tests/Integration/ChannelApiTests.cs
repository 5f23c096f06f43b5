using System.Net;
using System.Text.Json;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>The channels collection over HTTP: per-type settings, write-only credentials, the reported connection state.</summary>
public sealed class ChannelApiTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private static ChannelDto Telegram(string name, string? token) => new()
    {
        Name = name,
        Type = "Telegram",
        DisplayName = "Acme bot",
        Telegram = new TelegramDto { BotName = "Acme Support", BotUsername = "acme_support_bot", Token = token },
    };

    public static TheoryData<string, string, string> InvalidChannels => new()
    {
        { """{"name":"wa","type":"WhatsApp"}""", "whatsApp", "a WhatsApp channel needs its number" },
        { """{"name":"wa","type":"WhatsApp","whatsApp":{"phoneNumber":"0812 3456 7890","businessAccountId":"1234567"}}""", "whatsApp.phoneNumber", "E.164" },
        { """{"name":"wa","type":"WhatsApp","whatsApp":{"phoneNumber":"+6281234567890","businessAccountId":"abc"}}""", "whatsApp.businessAccountId", "numeric account id" },
        { """{"name":"tg","type":"Telegram","telegram":{"botName":"B","botUsername":"acme_support","token":"t"}}""", "telegram.botUsername", "bot usernames end in bot" },
        { """{"name":"tg","type":"Telegram","telegram":{"botName":"B","botUsername":"acme_support_bot"}}""", "telegram.token", "a token is needed on create" },
        { """{"name":"ln","type":"Line","line":{"channelName":"L","channelSecret":"s"}}""", "line.accessToken", "LINE needs its access token" },
        { """{"name":"wc","type":"WebChat","webChat":{"widgetName":"W","allowedDomains":[]}}""", "webChat.allowedDomains", "a widget needs a domain" },
        { """{"name":"wc","type":"WebChat","webChat":{"widgetName":"W","allowedDomains":["acme.example"]},"email":{"address":"a@acme.example"}}""", "email", "another type's block" },
        { """{"name":"tw","type":"Fax"}""", "type", "channel types" },
        { """{"name":"tw","type":"Twitter","businessUnitId":"bu_nope"}""", "businessUnitId", "broken business unit reference" },
    };

    [Theory]
    [MemberData(nameof(InvalidChannels))]
    public async Task Invalid_channels_are_422_with_the_field_path(string body, string field, string why)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        var response = await client.PostAsync("channels", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, why);
        (await response.Read<ProblemDto>()).Errors.Should().ContainKey(field, $"{why}: {await response.Content.ReadAsStringAsync()}");
    }

    [Theory, Sqlite, Postgres]
    public async Task The_bot_token_is_write_only_kept_when_omitted_and_masked_in_the_audit_trail(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var created = await client.PostAsync("channels", Telegram(Http.Unique("tg"), "tg-t0ken-one"));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var text = await created.Content.ReadAsStringAsync();
        text.Should().NotContain("tg-t0ken");
        var channel = JsonSerializer.Deserialize<ChannelDto>(text, WireJson.Options)!;

        var kept = await client.PutAsync($"channels/{channel.Id}", channel with { DisplayName = "Renamed", Connection = null }, channel.Version);
        kept.StatusCode.Should().Be(HttpStatusCode.OK, "a replace without the token keeps the stored one");
        var rotated = await client.PutAsync($"channels/{channel.Id}", channel with { Telegram = channel.Telegram! with { Token = "tg-t0ken-two" } }, channel.Version + 1);
        rotated.StatusCode.Should().Be(HttpStatusCode.OK);

        (await client.GetStringAsync($"channels/{channel.Id}")).Should().NotContain("tg-t0ken");
        (await client.GetStringAsync("channels?limit=1000")).Should().NotContain("tg-t0ken");
        var audit = await client.GetStringAsync($"audit-events?objectId={channel.Id}");
        audit.Should().NotContain("tg-t0ken").And.Contain("telegram.token").And.Contain("***");
    }

    [Theory, Sqlite, Postgres]
    public async Task A_reported_error_shows_on_the_channel_until_new_credentials_reconnect_it_and_disabling_disconnects(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var channel = await client.CreateOk<ChannelDto>("channels", Telegram(Http.Unique("tg"), "tg-t0ken-one"));
        channel.Connection!.State.Should().Be("Connected");

        var report = await client.PutAsync($"channels/{channel.Id}/connection", new ChannelConnectionDto { State = "Error", Message = "401 Unauthorized: the bot token was revoked" }, null);
        report.StatusCode.Should().Be(HttpStatusCode.OK);
        var failed = await (await client.GetAsync($"channels/{channel.Id}")).Read<ChannelDto>();
        failed.Connection!.State.Should().Be("Error");
        failed.Connection.Message.Should().Contain("revoked");
        failed.Version.Should().Be(channel.Version + 1, "a report is a versioned, audited change");
        (await client.GetStringAsync($"audit-events?objectId={channel.Id}")).Should().Contain("connection.state");

        var unchanged = await client.PutAsync($"channels/{channel.Id}", failed with { DisplayName = "Still broken" }, failed.Version);
        (await unchanged.Read<ChannelDto>()).Connection!.State.Should().Be("Error", "a change that is not the credentials leaves the provider's report");

        var current = await (await client.GetAsync($"channels/{channel.Id}")).Read<ChannelDto>();
        var fixedToken = await (await client.PutAsync($"channels/{channel.Id}", current with { Telegram = current.Telegram! with { Token = "tg-t0ken-two" } }, current.Version)).Read<ChannelDto>();
        fixedToken.Connection!.State.Should().Be("Connected", "new credentials are tried afresh");

        var disabled = await (await client.PutAsync($"channels/{channel.Id}", fixedToken with { Enabled = false }, fixedToken.Version)).Read<ChannelDto>();
        disabled.Connection!.State.Should().Be("Disconnected");
    }

    [Theory]
    [InlineData("""{"state":"Broken"}""", "state")]
    [InlineData("""{"state":"Error"}""", "message")]
    public async Task A_connection_report_needs_a_known_state_and_an_error_its_message(string body, string field)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        var channel = await client.CreateOk<ChannelDto>("channels", Telegram(Http.Unique("tg"), "t"));
        var response = await client.PutAsync($"channels/{channel.Id}/connection", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Read<ProblemDto>()).Errors.Should().ContainKey(field);
        (await client.PutAsync("channels/ch_nope/connection", new ChannelConnectionDto { State = "Connected" }, null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
