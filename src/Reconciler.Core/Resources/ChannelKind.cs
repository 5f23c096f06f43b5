using System.Globalization;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Status;

namespace Reconciler.Core.Resources;

/// <summary>
/// Channels: reference the business unit that receives their conversations; the platform reports their connection,
/// which the status shows as <c>status.connection</c>, a <c>Connected</c> condition and a gauge.
/// </summary>
public static class ChannelKind
{
    public const string ConnectedCondition = "Connected";
    public const string DisabledReason = "Disabled";
    public const string UnknownReason = "Unknown";
    public const string ConnectedGauge = "reconciler_channel_connected";

    public static readonly KindDescription<Channel> Description = new()
    {
        Collection = "channels",
        ApplyOrder = 8,
        ExportFileName = "channels.yaml",
        References = [ReferenceField<Channel>.One("spec.businessUnitRef", "BusinessUnit", c => c.Spec.BusinessUnitRef)],
        StatusFacts = WithConnection,
        Gauges =
        [
            new StatusGauge(
                ConnectedGauge,
                "1 when an enabled channel is connected, 0 when the platform reports it Disconnected or Error; disabled channels have no series.",
                Connected),
        ],
        Mapper = new ChannelMapper(),
    };

    /// <summary>
    /// The connection as the platform reports it, and the Connected condition, whose lastTransitionTime is the
    /// platform's: an unchanged report yields an identical status (the same condition list), so nothing is written.
    /// </summary>
    private static ResourceStatus WithConnection(ResourceStatus status, PlatformObject observed, SecretValues secrets)
    {
        if (status is not ChannelStatus channel || observed.Fields["connection"] is not System.Text.Json.Nodes.JsonObject reported)
            return status;
        var connection = new ChannelConnection
        {
            State = reported["state"]?.GetValue<string>(),
            // The provider's words, which may quote the channel's credentials (Telegram's API addresses carry the bot token).
            Message = reported["message"]?.GetValue<string>() is { } message ? secrets.Masked(message) : null,
            Since = DateTimeOffset.TryParse(reported["since"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var since) ? since : null,
        };
        var enabled = observed.Fields["enabled"]?.GetValue<bool>() ?? true;
        var connected = connection.State == ConnectedCondition;
        var condition = new Condition
        {
            Type = ConnectedCondition,
            Status = connected ? "True" : "False",
            // The platform's state and message are its own text: a state that is no condition reason shows only in status.connection.
            Reason = !enabled ? DisabledReason : connection.State is { } state && Conditions.IsReason(state) ? state : UnknownReason,
            Message = Conditions.CapMessage(connection.Message ?? (connected ? "the platform reports the channel connected" : "")),
            ObservedGeneration = status.ObservedGeneration,
            LastTransitionTime = connection.Since ?? DateTimeOffset.UnixEpoch,
        };
        var conditions = status.Conditions ?? [];
        var unchanged = conditions.FirstOrDefault(c => c.Type == ConnectedCondition) == condition;
        return channel with
        {
            Connection = channel.Connection == connection ? channel.Connection : connection,
            Conditions = unchanged ? status.Conditions : [.. conditions.Where(c => c.Type != ConnectedCondition).Append(condition).OrderBy(c => c.Type, StringComparer.Ordinal)],
        };
    }

    private static GaugeReading? Connected(Resource resource, ResourceStatus status)
    {
        var channel = (Channel)resource;
        if (!channel.Spec.Enabled || status is not ChannelStatus { Connection.State: { } state })
            return null;
        return new GaugeReading(state == ConnectedCondition ? 1 : 0, [new("type", channel.Spec.Type.ToString())]);
    }
}
