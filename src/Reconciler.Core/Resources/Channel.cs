using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Resources;

/// <summary>A connected channel of the console's Channel Integrations: where conversations come from.</summary>
[KubernetesKind("Channel", "channels", ShortNames = ["chan"])]
[PrinterColumn("TYPE", ".spec.type")]
[PrinterColumn("ENABLED", ".spec.enabled", "boolean")]
[PrinterColumn("BUSINESS UNIT", ".spec.businessUnitRef.name")]
[PrinterColumn("CONNECTION", ".status.connection.state")]
[Description("A connected channel (web chat, WhatsApp, Facebook, Instagram, e-mail, Telegram, Twitter, LINE, LiveChat, CRM connector) and the business unit its conversations go to. Credentials are referenced, never inline.")]
public sealed record Channel : Resource<ChannelSpec, ChannelStatus>;

/// <summary>The channel integrations of the console.</summary>
public enum ChannelType
{
    WebChat,
    WhatsApp,
    Facebook,
    Instagram,
    Email,
    Telegram,
    Twitter,
    Line,
    LiveChat,
    CrmConnector,
}

/// <summary>Whether a web-chat widget shows on the allowed sites.</summary>
public enum WidgetStatus
{
    Active,
    Inactive,
}

[Description("Desired state of the channel; exactly the settings block of its type is given (none for Twitter, LiveChat and CrmConnector).")]
[CelRule("self.type == 'WebChat' ? has(self.webChat) : !has(self.webChat)", "webChat is required for type WebChat and forbidden otherwise", FieldPath = ".webChat")]
[CelRule("self.type == 'WhatsApp' ? has(self.whatsApp) : !has(self.whatsApp)", "whatsApp is required for type WhatsApp and forbidden otherwise", FieldPath = ".whatsApp")]
[CelRule("self.type == 'Facebook' ? has(self.facebook) : !has(self.facebook)", "facebook is required for type Facebook and forbidden otherwise", FieldPath = ".facebook")]
[CelRule("self.type == 'Instagram' ? has(self.instagram) : !has(self.instagram)", "instagram is required for type Instagram and forbidden otherwise", FieldPath = ".instagram")]
[CelRule("self.type == 'Email' ? has(self.email) : !has(self.email)", "email is required for type Email and forbidden otherwise", FieldPath = ".email")]
[CelRule("self.type == 'Telegram' ? has(self.telegram) : !has(self.telegram)", "telegram is required for type Telegram and forbidden otherwise", FieldPath = ".telegram")]
[CelRule("self.type == 'Line' ? has(self.line) : !has(self.line)", "line is required for type Line and forbidden otherwise", FieldPath = ".line")]
public sealed record ChannelSpec
{
    [Required]
    [Description("WebChat, WhatsApp, Facebook, Instagram, Email, Telegram, Twitter, Line, LiveChat or CrmConnector.")]
    public required ChannelType Type { get; init; }

    [MaxLength(200)]
    [Description("Name of the channel in the console.")]
    public string? DisplayName { get; init; }

    [Description("false is the console's \"Disconnect account\": the channel is kept, but receives no conversations.")]
    public bool Enabled { get; init; } = true;

    [Description("The BusinessUnit that receives the channel's conversations; none routes by the organisation's defaults.")]
    public ResourceRef? BusinessUnitRef { get; init; }

    [Description("Web-chat widget settings (type WebChat).")]
    public WebChatSettings? WebChat { get; init; }

    [Description("WhatsApp Business number (type WhatsApp).")]
    public WhatsAppSettings? WhatsApp { get; init; }

    [Description("Facebook page (type Facebook).")]
    public FacebookSettings? Facebook { get; init; }

    [Description("Instagram professional account (type Instagram).")]
    public InstagramSettings? Instagram { get; init; }

    [Description("Support mailbox (type Email).")]
    public EmailChannelSettings? Email { get; init; }

    [Description("Telegram bot (type Telegram); the bot token is referenced.")]
    public TelegramSettings? Telegram { get; init; }

    [Description("LINE official account channel (type Line); the channel secret and access token are referenced.")]
    public LineSettings? Line { get; init; }

    [Description("Delete removes the channel from the platform when the resource is deleted; Orphan leaves it.")]
    public DeletionPolicy DeletionPolicy { get; init; } = DeletionPolicy.Delete;
}

[Description("A web-chat widget.")]
public sealed record WebChatSettings
{
    [Required]
    [MaxLength(200)]
    [Description("Widget name shown to visitors.")]
    public required string WidgetName { get; init; }

    [Description("Active shows the widget on the allowed domains; Inactive hides it.")]
    public WidgetStatus WidgetStatus { get; init; } = WidgetStatus.Active;

    [MinLength(1)]
    [MaxLength(50)]
    [CrdList(CrdListType.Set)]
    [CrdString(Pattern = Patterns.Domain, MaxLength = 253)]
    [CelRule(CelRules.DistinctIgnoringCase, "allowedDomains must be distinct, ignoring case")]
    [Description("Domains of the sites the widget may be embedded on.")]
    public IReadOnlyList<string> AllowedDomains { get; init; } = [];
}

[Description("A WhatsApp Business number.")]
public sealed record WhatsAppSettings
{
    [Required]
    [CrdString(Pattern = Patterns.E164)]
    [Description("The business number in E.164 format, e.g. +6281234567890.")]
    public required string PhoneNumber { get; init; }

    [Required]
    [CrdString(Pattern = ChannelFormats.NumericId)]
    [Description("WhatsApp Business account id (digits).")]
    public required string BusinessAccountId { get; init; }
}

[Description("A Facebook page.")]
public sealed record FacebookSettings
{
    [Required]
    [CrdString(Pattern = ChannelFormats.NumericId)]
    [Description("Facebook page id (digits).")]
    public required string PageId { get; init; }
}

[Description("An Instagram professional account.")]
public sealed record InstagramSettings
{
    [Required]
    [CrdString(Pattern = ChannelFormats.NumericId)]
    [Description("Instagram account id (digits).")]
    public required string AccountId { get; init; }
}

[Description("A support mailbox.")]
public sealed record EmailChannelSettings
{
    [Required]
    [EmailAddress]
    [MaxLength(254)]
    [Description("The mailbox's address.")]
    public required string Address { get; init; }

    [MaxLength(200)]
    [Description("Sender name on replies.")]
    public string? DisplayName { get; init; }
}

[Description("A Telegram bot.")]
public sealed record TelegramSettings
{
    [Required]
    [MaxLength(200)]
    [Description("The bot's name.")]
    public required string BotName { get; init; }

    [Required]
    [CrdString(Pattern = ChannelFormats.TelegramUsername)]
    [Description("The bot's username: 5-32 letters, digits or '_', ending in \"bot\".")]
    public required string BotUsername { get; init; }

    [Required]
    [SecretReference]
    [Description("Secret holding the bot token from @BotFather.")]
    public required SecretKeyRef TokenSecretRef { get; init; }
}

[Description("A LINE official account channel.")]
public sealed record LineSettings
{
    [Required]
    [MaxLength(200)]
    [Description("The LINE channel's name.")]
    public required string ChannelName { get; init; }

    [Required]
    [SecretReference]
    [Description("Secret holding the channel secret.")]
    public required SecretKeyRef ChannelSecretRef { get; init; }

    [Required]
    [SecretReference]
    [Description("Secret holding the channel access token.")]
    public required SecretKeyRef AccessTokenSecretRef { get; init; }
}

/// <summary>A channel's status: the common conditions, a Connected condition, and the connection the platform reports.</summary>
public sealed record ChannelStatus : ResourceStatus
{
    [Description("The connection state the platform reports: Connected, Disconnected or Error, with the provider's message.")]
    public ChannelConnection? Connection { get; init; }
}

[Description("A channel's connection as the platform reports it.")]
public sealed record ChannelConnection
{
    [Description("Connected, Disconnected or Error.")]
    public string? State { get; init; }

    [Description("What the provider answered (Error) or why the channel is disconnected.")]
    public string? Message { get; init; }

    [Description("When the platform's connection state last changed.")]
    public DateTimeOffset? Since { get; init; }
}
