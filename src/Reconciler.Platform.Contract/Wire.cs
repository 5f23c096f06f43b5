using System.Text.Json;

namespace Reconciler.Platform.Contract;

// A property with an initial value is settable, not init-only: the generated JSON reader (WireJsonContext, all a Native
// AOT build has) sets an init-only property that the JSON leaves out to its type's default, losing the initial value
// (dotnet/runtime#84484), so a request without `level` would read as null rather than "L1". A settable one it leaves alone.

/// <summary>Fields every stored object carries; the server sets all but <see cref="Labels"/>.</summary>
public abstract record WireObject
{
    public string? Id { get; init; }

    /// <summary>Natural key: the lower-cased e-mail for agents, <c>name</c> for the others.</summary>
    public string? Key { get; init; }

    public long Version { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>An agent (<c>agents</c>); keyed by its lower-cased e-mail.</summary>
public sealed record AgentDto : WireObject
{
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public string? Mobile { get; init; }
    public required string RoleId { get; init; }
    public List<string> BusinessUnitIds { get; set; } = [];
    public string Level { get; set; } = "L1";
    public string? SupervisorId { get; init; }
    public List<string> Languages { get; set; } = [];
    public List<string> Categories { get; set; } = [];
    public int MaxConcurrentChats { get; set; } = 3;
    public List<string> Capabilities { get; set; } = [];
    public bool Active { get; set; } = true;

    /// <summary>Read-only: Online, Offline or Available.</summary>
    public string? Presence { get; init; }

    public DateTimeOffset? ActivatedAt { get; init; }
    public DateTimeOffset? DeactivatedAt { get; init; }

    /// <summary>Read-only: the e-mail invitation the platform sent when the agent was saved (and whether the person accepted it); null until one is sent.</summary>
    public AgentInvitationDto? Invitation { get; init; }
}

/// <summary>An agent's invitation: <c>Invited</c> (sent at <see cref="InvitedAt"/>, to <see cref="SentTo"/>) or <c>Accepted</c> (at <see cref="AcceptedAt"/>).</summary>
public sealed record AgentInvitationDto
{
    public const string Invited = "Invited";
    public const string Accepted = "Accepted";

    /// <summary>Invited or Accepted.</summary>
    public required string State { get; init; }

    /// <summary>The address the (latest) invitation went to.</summary>
    public required string SentTo { get; init; }

    public required DateTimeOffset InvitedAt { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
}

/// <summary>A role (<c>roles</c>): permissions from the catalog; built-in roles are read-only.</summary>
public sealed record RoleDto : WireObject
{
    public required string Name { get; init; }
    public required string DisplayName { get; init; }
    public string? Description { get; init; }
    public List<string> Permissions { get; set; } = [];

    /// <summary>Read-only: built-in roles cannot be changed or deleted.</summary>
    public bool BuiltIn { get; init; }
}

/// <summary>A business unit (<c>business-units</c>).</summary>
public sealed record BusinessUnitDto : WireObject
{
    public required string Name { get; init; }
    public required string DisplayName { get; init; }
    public string? Description { get; init; }
    public string? OfficeHoursId { get; init; }
    public RoutingDto? Routing { get; init; }
}

/// <summary>How a business unit routes chats.</summary>
public sealed record RoutingDto
{
    public string? ChatbotId { get; init; }
    public string Strategy { get; set; } = "RoundRobin";
    public int QueueLimit { get; init; }
}

/// <summary>Office hours (<c>office-hours</c>): a time zone, weekly intervals and holidays.</summary>
public sealed record OfficeHoursDto : WireObject
{
    public required string Name { get; init; }
    public string? DisplayName { get; init; }
    public required string Timezone { get; init; }
    public List<WeeklyIntervalDto> Weekly { get; set; } = [];
    public List<HolidayDto> Holidays { get; set; } = [];
}

/// <summary>An interval; <c>days</c> are English day names (Monday…Sunday).</summary>
public sealed record WeeklyIntervalDto
{
    public required List<string> Days { get; init; }
    public required string Opens { get; init; }
    public required string Closes { get; init; }
}

/// <summary>A date on which office hours differ or the office is closed.</summary>
public sealed record HolidayDto
{
    public required string Date { get; init; }
    public required string Name { get; init; }
    public string? Opens { get; init; }
    public string? Closes { get; init; }
}

/// <summary>An SSO provider (<c>sso-providers</c>); exactly one of OIDC, SAML or JWT settings, by type.</summary>
public sealed record SsoProviderDto : WireObject
{
    public required string Name { get; init; }

    /// <summary>Google, Microsoft, Okta, Saml or Jwt.</summary>
    public required string Type { get; init; }

    public string? DisplayName { get; init; }
    public bool Enabled { get; set; } = true;
    public bool Enforced { get; init; }
    public List<string> AllowedDomains { get; set; } = [];
    public string? DefaultRoleId { get; init; }
    public bool JustInTimeProvisioning { get; init; }
    public OidcDto? Oidc { get; init; }
    public SamlDto? Saml { get; init; }
    public JwtDto? Jwt { get; init; }
}

/// <summary>OIDC settings; the client secret is write-only.</summary>
public sealed record OidcDto
{
    public string? IssuerUrl { get; init; }
    public required string ClientId { get; init; }

    /// <summary>Write-only: accepted on create and replace, never returned.</summary>
    [WriteOnly]
    public string? ClientSecret { get; init; }

    /// <summary>Read-only: whether a client secret is stored.</summary>
    public bool ClientSecretSet { get; init; }

    /// <summary>Read-only: when the stored client secret last changed.</summary>
    public DateTimeOffset? ClientSecretUpdatedAt { get; init; }

    public string? TenantId { get; init; }
}

/// <summary>SAML settings.</summary>
public sealed record SamlDto
{
    public string? MetadataUrl { get; init; }
    public string? EntityId { get; init; }
    public string? SsoUrl { get; init; }
    public string? Certificate { get; init; }
}

/// <summary>JWT settings.</summary>
public sealed record JwtDto
{
    public required string PublicKey { get; init; }
    public string? Issuer { get; init; }
}

/// <summary>A tag group (<c>tag-groups</c>).</summary>
public sealed record TagGroupDto : WireObject
{
    public required string Name { get; init; }
    public required string DisplayName { get; init; }

    /// <summary>Users, Chats or Both.</summary>
    public string AppliesTo { get; set; } = "Both";

    public List<TagDto> Tags { get; set; } = [];
}

/// <summary>One tag of a tag group.</summary>
public sealed record TagDto
{
    public required string Name { get; init; }
    public string? Color { get; init; }
    public string? Description { get; init; }
}

/// <summary>A connected channel (<c>channels</c>): exactly the settings block of its type; credentials are write-only.</summary>
public sealed record ChannelDto : WireObject
{
    public required string Name { get; init; }

    /// <summary>WebChat, WhatsApp, Facebook, Instagram, Email, Telegram, Twitter, Line, LiveChat or CrmConnector.</summary>
    public required string Type { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>false is the console's "Disconnect account": the channel stays, conversations stop.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The business unit that receives the channel's conversations; none routes by the organisation's defaults.</summary>
    public string? BusinessUnitId { get; init; }

    public WebChatDto? WebChat { get; init; }
    public WhatsAppDto? WhatsApp { get; init; }
    public FacebookDto? Facebook { get; init; }
    public InstagramDto? Instagram { get; init; }
    public EmailChannelDto? Email { get; init; }
    public TelegramDto? Telegram { get; init; }
    public LineDto? Line { get; init; }

    /// <summary>Read-only: the connection state the channel's provider reports.</summary>
    public ChannelConnectionDto? Connection { get; init; }
}

/// <summary>A web-chat widget: its name, whether it shows, and the sites it may be embedded on.</summary>
public sealed record WebChatDto
{
    public required string WidgetName { get; init; }

    /// <summary>Active or Inactive.</summary>
    public string WidgetStatus { get; set; } = "Active";

    public List<string> AllowedDomains { get; set; } = [];
}

/// <summary>A WhatsApp Business number.</summary>
public sealed record WhatsAppDto
{
    /// <summary>E.164.</summary>
    public required string PhoneNumber { get; init; }

    public required string BusinessAccountId { get; init; }
}

/// <summary>A Facebook page.</summary>
public sealed record FacebookDto
{
    public required string PageId { get; init; }
}

/// <summary>An Instagram professional account.</summary>
public sealed record InstagramDto
{
    public required string AccountId { get; init; }
}

/// <summary>A support mailbox.</summary>
public sealed record EmailChannelDto
{
    public required string Address { get; init; }
    public string? DisplayName { get; init; }
}

/// <summary>A Telegram bot; the bot token is write-only.</summary>
public sealed record TelegramDto
{
    public required string BotName { get; init; }
    public required string BotUsername { get; init; }

    /// <summary>Write-only: accepted on create and replace (omitted keeps the stored one), never returned.</summary>
    [WriteOnly]
    public string? Token { get; init; }
}

/// <summary>A LINE official account channel; the channel secret and access token are write-only.</summary>
public sealed record LineDto
{
    public required string ChannelName { get; init; }

    /// <summary>Write-only.</summary>
    [WriteOnly]
    public string? ChannelSecret { get; init; }

    /// <summary>Write-only.</summary>
    [WriteOnly]
    public string? AccessToken { get; init; }
}

/// <summary>A channel's connection: Connected, Disconnected or Error (with the provider's message), and since when.</summary>
public sealed record ChannelConnectionDto
{
    public required string State { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? Since { get; init; }
}

/// <summary>The singleton organisation profile; its key is always <c>organization</c>.</summary>
public sealed record OrganizationDto : WireObject
{
    public required string DisplayName { get; init; }
    public string? CompanyName { get; init; }
    public required string Timezone { get; init; }
    public ContactDto? Contact { get; init; }
    public string? LogoUrl { get; init; }
    public string? DefaultOfficeHoursId { get; init; }
    public int ChatTimeoutMinutes { get; set; } = 30;
    public OrganizationSettingsDto? Settings { get; init; }

    /// <summary>Session requests over native push (Firebase Cloud Messaging); none turns push off.</summary>
    public PushNotificationsDto? PushNotifications { get; init; }

    /// <summary>Read-only: the helpdesks the account is linked to, as the platform reports them (Intercom, Zendesk, Salesforce).</summary>
    public List<HelpdeskLinkDto>? HelpdeskLinks { get; init; }

    /// <summary>Read-only: seats bought, and seats used (active agents, counted when read); none when the account has no seat limit.</summary>
    public LicencesDto? Licences { get; init; }
}

/// <summary>Push notification settings; the Firebase service-account key is write-only.</summary>
public sealed record PushNotificationsDto
{
    public required string FirebaseProjectId { get; init; }

    /// <summary>Write-only: the service-account key (JSON) accepted on replace (omitted keeps the stored one), never returned.</summary>
    [WriteOnly]
    public string? ServiceAccountKey { get; init; }

    /// <summary>Read-only: whether a service-account key is stored.</summary>
    public bool ServiceAccountKeySet { get; init; }

    /// <summary>Read-only: when the stored service-account key last changed.</summary>
    public DateTimeOffset? ServiceAccountKeyUpdatedAt { get; init; }
}

/// <summary>A helpdesk link as the platform reports it: the provider, whether it is connected, to which account, since when.</summary>
public sealed record HelpdeskLinkDto
{
    /// <summary>Intercom, Zendesk or Salesforce.</summary>
    public required string Provider { get; init; }

    public bool Connected { get; init; }

    /// <summary>The linked account, workspace or instance name.</summary>
    public string? Account { get; init; }

    public DateTimeOffset? Since { get; init; }
}

/// <summary>
/// The account's licence: <see cref="SeatsBought"/> is set by billing (on the reference platform
/// <c>PUT /api/v1/organization/licences</c> or <c>platform serve --seats</c>); <see cref="SeatsUsed"/> is the number of
/// active agents when the organisation is read.
/// </summary>
public sealed record LicencesDto
{
    public int SeatsBought { get; init; }
    public int SeatsUsed { get; init; }
}

/// <summary>The organisation's contact details.</summary>
public sealed record ContactDto
{
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Website { get; init; }
}

/// <summary>Organisation-wide feature switches.</summary>
public sealed record OrganizationSettingsDto
{
    public bool RemoteControl { get; init; }
    public bool SessionRecording { get; init; }

    /// <summary>Days a session recording is kept; only with <see cref="SessionRecording"/> on; none keeps the platform's default.</summary>
    public int? SessionRecordingRetentionDays { get; init; }

    public List<string> RedactionSelectors { get; set; } = [];
}

/// <summary>A reply template (<c>reply-templates</c>), an agent's quick response; keyed by its lower-cased shortcut.</summary>
public sealed record ReplyTemplateDto : WireObject
{
    /// <summary>What an agent types to insert it, e.g. <c>/refund</c>; unique in the organisation, ignoring case.</summary>
    public required string Shortcut { get; init; }

    public required string Title { get; init; }

    /// <summary>The text per BCP-47 language tag; <c>{{placeholder}}</c>s must be in the placeholder catalog.</summary>
    public Dictionary<string, string> Texts { get; set; } = [];

    /// <summary>Business units whose agents may use it; none means everyone.</summary>
    public List<string> BusinessUnitIds { get; set; } = [];

    public List<string> Tags { get; set; } = [];
}

/// <summary>One entry of the placeholder catalog (<c>placeholders</c>): what a reply template may write as <c>{{name}}</c>.</summary>
public sealed record PlaceholderDto
{
    public required string Name { get; init; }
    public required string Description { get; init; }
}

/// <summary>One entry of the permission catalog (<c>permissions</c>).</summary>
public sealed record PermissionDto
{
    public required string Name { get; init; }
    public required string Description { get; init; }

    /// <summary>Area of the console the permission belongs to, e.g. Inbox, Settings, Administration.</summary>
    public required string Category { get; init; }
}

/// <summary>One page of a list; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>
{
    public required List<T> Items { get; init; }
    public string? NextCursor { get; init; }
}

/// <summary>
/// One page of the audit trail, and the newest sequence the trail held when the page was read: a client tailing the
/// trail as a change feed starts after <see cref="LatestSequence"/> (ask with a <c>since</c> beyond it for no items).
/// </summary>
public sealed record AuditEventPage
{
    public required List<AuditEventDto> Items { get; init; }
    public string? NextCursor { get; init; }
    public long LatestSequence { get; init; }
}

/// <summary>One audit trail event (<c>audit-events</c>); secret values in its changes are masked.</summary>
public sealed record AuditEventDto
{
    public required string Id { get; init; }

    /// <summary>Monotonic sequence; <c>since</c> filters on it as well as on time.</summary>
    public long Sequence { get; init; }

    public required DateTimeOffset At { get; init; }
    public required string Actor { get; init; }

    /// <summary>create, update or delete.</summary>
    public required string Action { get; init; }

    public required string Collection { get; init; }
    public required string ObjectId { get; init; }
    public required string Key { get; init; }
    public List<FieldChangeDto> Changes { get; set; } = [];
    public string? Reason { get; init; }
    public string? RequestId { get; init; }

    /// <summary>The W3C trace id of the request's <c>traceparent</c>: the span (a reconcile, an apply) that made the change.</summary>
    public string? TraceId { get; init; }
}

/// <summary>A changed field as a JSON path (<c>level</c>, <c>routing.strategy</c>) with old and new JSON values; secrets are <c>"***"</c>.</summary>
public sealed record FieldChangeDto
{
    public required string Field { get; init; }
    public JsonElement? From { get; init; }
    public JsonElement? To { get; init; }
}

/// <summary>RFC 9457 problem details with per-field errors (field path → messages).</summary>
public sealed record ProblemDto
{
    public string Type { get; set; } = "about:blank";
    public required string Title { get; init; }
    public required int Status { get; init; }
    public string? Detail { get; init; }
    public Dictionary<string, string[]>? Errors { get; init; }

    /// <summary>On a 409 for a duplicate natural key: the id of the object that holds the key.</summary>
    public string? ExistingId { get; init; }
}
