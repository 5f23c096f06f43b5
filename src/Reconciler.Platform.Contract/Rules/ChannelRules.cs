namespace Reconciler.Platform.Contract.Rules;

/// <summary>
/// Channels: the settings block each type needs and no other (a WhatsApp channel its number, a Telegram bot its
/// username), each block's formats, and the connection states the platform reports. Whether a write-only credential is
/// present can only be judged against the stored channel, so the platform checks that itself.
/// </summary>
internal static class ChannelRules
{
    public const int MaxAllowedDomains = 50;

    /// <summary>The settings block of each type that has one; Twitter, LiveChat and CrmConnector are connected in the console by signing in.</summary>
    private static readonly IReadOnlyList<(string Block, string Type)> Blocks =
    [
        ("webChat", "WebChat"),
        ("whatsApp", "WhatsApp"),
        ("facebook", "Facebook"),
        ("instagram", "Instagram"),
        ("email", "Email"),
        ("telegram", "Telegram"),
        ("line", "Line"),
    ];

    public static void Check(RuleSink sink, ChannelDto dto)
    {
        sink.OneOf("type", dto.Type, WireRules.ChannelTypes);
        sink.Text("displayName", dto.DisplayName, WireRules.DisplayNameMaxLength, required: false);

        var present = new Dictionary<string, bool>(StringComparer.Ordinal)
        {
            ["webChat"] = dto.WebChat is not null,
            ["whatsApp"] = dto.WhatsApp is not null,
            ["facebook"] = dto.Facebook is not null,
            ["instagram"] = dto.Instagram is not null,
            ["email"] = dto.Email is not null,
            ["telegram"] = dto.Telegram is not null,
            ["line"] = dto.Line is not null,
        };
        foreach (var (block, type) in Blocks)
        {
            if (dto.Type == type && !present[block])
                sink.Add(block, RuleCodes.ChannelFields, $"is required for type {type}");
            else if (dto.Type != type && present[block])
                sink.Add(block, RuleCodes.ChannelFields, $"is not allowed for type {dto.Type}");
        }

        if (dto.WebChat is { } web)
        {
            sink.Text("webChat.widgetName", web.WidgetName, WireRules.DisplayNameMaxLength, required: true);
            sink.OneOf("webChat.widgetStatus", web.WidgetStatus, WireRules.WidgetStatuses);
            sink.Set("webChat.allowedDomains", web.AllowedDomains, MaxAllowedDomains, StringComparer.OrdinalIgnoreCase);
            if (web.AllowedDomains.Count == 0)
                sink.Add("webChat.allowedDomains", RuleCodes.Required, "needs at least one domain: the sites the widget may be embedded on");
            for (var i = 0; i < web.AllowedDomains.Count; i++)
            {
                if (!string.IsNullOrWhiteSpace(web.AllowedDomains[i]))
                    sink.Format(new("webChat.allowedDomains", i), web.AllowedDomains[i], WireFormats.IsDomain, RuleCodes.Domain, "a domain name (e.g. acme.example)");
            }
        }

        if (dto.WhatsApp is { } whatsApp)
        {
            sink.Format("whatsApp.phoneNumber", whatsApp.PhoneNumber, WireFormats.IsE164, RuleCodes.Phone, "an E.164 phone number (e.g. +6281234567890)", required: true);
            sink.Format("whatsApp.businessAccountId", whatsApp.BusinessAccountId, ChannelFormats.IsNumericId, RuleCodes.AccountId, "a WhatsApp Business account id: 5-25 digits", required: true);
        }

        if (dto.Facebook is { } facebook)
            sink.Format("facebook.pageId", facebook.PageId, ChannelFormats.IsNumericId, RuleCodes.AccountId, "a Facebook page id: 5-25 digits", required: true);

        if (dto.Instagram is { } instagram)
            sink.Format("instagram.accountId", instagram.AccountId, ChannelFormats.IsNumericId, RuleCodes.AccountId, "an Instagram professional account id: 5-25 digits", required: true);

        if (dto.Email is { } email)
        {
            sink.Format("email.address", email.Address, WireFormats.IsEmail, RuleCodes.Email, "an e-mail address (e.g. support@acme.example)", required: true);
            sink.Text("email.displayName", email.DisplayName, WireRules.DisplayNameMaxLength, required: false);
        }

        if (dto.Telegram is { } telegram)
        {
            sink.Text("telegram.botName", telegram.BotName, WireRules.DisplayNameMaxLength, required: true);
            sink.Format("telegram.botUsername", telegram.BotUsername, ChannelFormats.IsTelegramUsername, RuleCodes.TelegramUsername,
                "a Telegram bot username: 5-32 letters, digits or '_', starting with a letter and ending in \"bot\" (e.g. acme_support_bot)", required: true);
            sink.Text("telegram.token", telegram.Token, WireRules.KeyMaterialMaxLength, required: false);
        }

        if (dto.Line is { } line)
        {
            sink.Text("line.channelName", line.ChannelName, WireRules.DisplayNameMaxLength, required: true);
            sink.Text("line.channelSecret", line.ChannelSecret, WireRules.KeyMaterialMaxLength, required: false);
            sink.Text("line.accessToken", line.AccessToken, WireRules.KeyMaterialMaxLength, required: false);
        }
    }

    /// <summary>A connection state as the channel's provider (or an operator of the platform) reports it.</summary>
    public static void Connection(RuleSink sink, ChannelConnectionDto dto)
    {
        sink.OneOf("state", dto.State, WireRules.ConnectionStates);
        sink.Text("message", dto.Message, WireRules.DescriptionMaxLength, required: false);
        if (dto.State == "Error" && string.IsNullOrWhiteSpace(dto.Message))
            sink.Add("message", RuleCodes.Required, "is required for state Error: what the provider answered");
    }
}
