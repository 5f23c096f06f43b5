using Microsoft.AspNetCore.Routing;
using Reconciler.Platform.Api;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Validation;
using C = Reconciler.Platform.Contract.AdminApi.Collections;

namespace Reconciler.Platform.Resources;

/// <summary>
/// Channels: the settings block per type; the Telegram token and the LINE channel secret and access token are
/// write-only (kept when a replace omits them, never presented); the connection state is server-maintained.
/// </summary>
internal sealed class ChannelHandler() : ResourceHandler<ChannelDto>(C.Channels, "ch", dto => dto.Name, WireRules.Check)
{
    public const string Connected = "Connected";
    public const string Disconnected = "Disconnected";

    protected override void Validate(ChannelDto dto, ChannelDto? existing, ValidationErrors errors)
    {
        // Write-only: a replace may omit a credential to keep the stored one, so only the platform can tell whether one is missing.
        if (dto.Telegram is { } telegram && string.IsNullOrEmpty(telegram.Token) && existing?.Telegram?.Token is null)
            errors.Add("telegram.token", "is required when no bot token is stored yet");
        if (dto.Line is { } line && string.IsNullOrEmpty(line.ChannelSecret) && existing?.Line?.ChannelSecret is null)
            errors.Add("line.channelSecret", "is required when no channel secret is stored yet");
        if (dto.Line is { } withToken && string.IsNullOrEmpty(withToken.AccessToken) && existing?.Line?.AccessToken is null)
            errors.Add("line.accessToken", "is required when no access token is stored yet");
    }

    protected override IEnumerable<Reference> References(ChannelDto dto) => Ref("businessUnitId", C.BusinessUnits, dto.BusinessUnitId);

    protected override ChannelDto Prepare(ChannelDto incoming, ChannelDto? existing, DateTimeOffset now)
    {
        var telegram = incoming.Telegram is { } t ? t with { Token = Keep(t.Token, existing?.Telegram?.Token) } : null;
        var line = incoming.Line is { } l
            ? l with { ChannelSecret = Keep(l.ChannelSecret, existing?.Line?.ChannelSecret), AccessToken = Keep(l.AccessToken, existing?.Line?.AccessToken) }
            : null;
        var prepared = incoming with { Telegram = telegram, Line = line };
        return prepared with { Connection = ConnectionAfter(prepared, existing, now) };
    }

    public override void MapExtraRoutes(RouteGroupBuilder api) => ChannelConnectionEndpoint.Map(api, this);

    /// <summary>A connection state report from the provider (or an operator): the time moves only when the state or message does.</summary>
    public static ChannelDto Report(ChannelDto stored, ChannelConnectionDto report, DateTimeOffset now) =>
        stored with { Connection = Since(report with { Since = null }, stored.Connection, now) };

    /// <summary>
    /// Disabling disconnects; a new channel, re-enabling it or giving it new credentials connects it afresh (the new
    /// credentials are tried); otherwise the provider's last report stands.
    /// </summary>
    private static ChannelConnectionDto ConnectionAfter(ChannelDto channel, ChannelDto? existing, DateTimeOffset now)
    {
        if (!channel.Enabled)
            return Since(new ChannelConnectionDto { State = Disconnected, Message = "disconnected by an administrator (enabled: false)" }, existing?.Connection, now);
        var reconnect = existing is null || !existing.Enabled || existing.Type != channel.Type
            || existing.Telegram?.Token != channel.Telegram?.Token
            || existing.Line?.ChannelSecret != channel.Line?.ChannelSecret
            || existing.Line?.AccessToken != channel.Line?.AccessToken;
        return reconnect || existing!.Connection is null
            ? Since(new ChannelConnectionDto { State = Connected }, existing?.Connection, now)
            : existing.Connection;
    }

    private static ChannelConnectionDto Since(ChannelConnectionDto next, ChannelConnectionDto? previous, DateTimeOffset now) =>
        previous is not null && previous.State == next.State && previous.Message == next.Message
            ? next with { Since = previous.Since }
            : next with { Since = now };

    private static string? Keep(string? incoming, string? stored) => string.IsNullOrEmpty(incoming) ? stored : incoming;
}
