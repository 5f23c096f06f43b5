using System.Collections.Frozen;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Catalog;

/// <summary>
/// The permission names the platform knows, drawn from the admin guides in the seeds: the Qontak
/// menus (inbox, broadcast, contacts, chatbot, reports, finance, channel integrations, settings
/// areas), Cobrowse session history, joining and audit, Woopra capabilities, and the
/// administration of agents, roles, business units, SSO and tags.
/// </summary>
internal static class PermissionCatalog
{
    private static readonly string[] Channels =
        ["webchat", "whatsapp", "facebook", "instagram", "email", "telegram", "twitter", "line", "livechat", "qontak-crm"];

    private static readonly (string Area, string Title)[] SettingsAreas =
    [
        ("account", "Account Management"),
        ("agent", "Agent Management"),
        ("chat", "Chat"),
        ("contact", "Contact"),
        ("score", "Score"),
        ("ticket", "Ticket"),
    ];

    public static IReadOnlyList<PermissionDto> All { get; } = Build();

    public static FrozenSet<string> Names { get; } = All.Select(p => p.Name).ToFrozenSet(StringComparer.Ordinal);

    private static List<PermissionDto> Build()
    {
        var list = new List<PermissionDto>();
        void Add(string name, string category, string description) =>
            list.Add(new PermissionDto { Name = name, Category = category, Description = description });

        Add("inbox.view", "Inbox", "Open the inbox and read conversations assigned to the agent.");
        Add("inbox.reply", "Inbox", "Reply to and resolve conversations.");
        Add("inbox.assign", "Inbox", "Assign and transfer conversations to other agents or business units.");
        Add("inbox.view-all", "Inbox", "See every conversation of the organisation, not only one's own.");
        Add("inbox.presence", "Inbox", "See and change agents' online/offline status.");
        Add("inbox.history", "Inbox", "Open the room history of closed conversations.");
        Add("broadcast.view", "Broadcast", "See broadcast campaigns and their results.");
        Add("broadcast.send", "Broadcast", "Create and send broadcast messages.");
        Add("contacts.view", "Contacts", "See contacts and customer profiles.");
        Add("contacts.manage", "Contacts", "Create, edit, import and delete contacts.");
        Add("contacts.export", "Contacts", "Export contacts to a file.");
        Add("chatbot.view", "Chatbot", "See chatbot flows.");
        Add("chatbot.manage", "Chatbot", "Create, edit and publish chatbot flows.");
        Add("reports.view", "Reports", "See reports and analytics dashboards.");
        Add("reports.export", "Reports", "Export reports, including agent reports.");
        Add("finance.view", "Finance", "See invoices, balance and usage.");
        Add("finance.manage", "Finance", "Top up balance and manage billing and licenses.");
        foreach (var channel in Channels)
        {
            Add($"channels.{channel}.view", "Channel integrations", $"See the {channel} channel integration and its accounts.");
            Add($"channels.{channel}.manage", "Channel integrations", $"Add, connect, disconnect and configure {channel} accounts.");
        }

        foreach (var (area, title) in SettingsAreas)
        {
            Add($"settings.{area}.view", "Settings", $"See the {title} settings.");
            Add($"settings.{area}.manage", "Settings", $"Change the {title} settings.");
        }

        Add("settings.organization.manage", "Settings", "Change the organisation profile, time zone, office hours and account options (remote control, recording, redaction).");
        Add("agents.view", "Administration", "See agents, their roles, levels and business units.");
        Add("agents.manage", "Administration", "Invite, edit, deactivate and delete agents; bulk-upload agents.");
        Add("roles.view", "Administration", "See roles and their permissions.");
        Add("roles.manage", "Administration", "Create, edit and delete custom roles.");
        Add("business-units.view", "Administration", "See business units and their routing.");
        Add("business-units.manage", "Administration", "Create, edit and delete business units.");
        Add("office-hours.manage", "Administration", "Create, edit and delete office hours and holidays.");
        Add("sso.view", "Administration", "See single sign-on providers.");
        Add("sso.manage", "Administration", "Configure Google, Microsoft, Okta, SAML and JWT single sign-on.");
        Add("tags.view", "Administration", "See tag groups and tags.");
        Add("tags.manage", "Administration", "Create, edit and delete tag groups and tags.");
        Add("reply-templates.view", "Administration", "See the agents' reply templates (quick responses).");
        Add("reply-templates.manage", "Administration", "Create, edit and delete reply templates, their texts per language and who may use them.");
        Add("sessions.join", "Sessions", "Join active sessions of other agents.");
        Add("sessions.recordings", "Sessions", "View and download session recordings of all agents.");
        Add("sessions.metadata", "Sessions", "View and download session metadata of all agents.");
        Add("audit.read", "Audit", "Read the audit trail of all account activity.");
        Add("live.view", "Capabilities", "See live stats: the live dashboard and the live visitors stream.");
        Add("chat.live", "Capabilities", "Receive inbound live chats and proactively offer assistance to visitors.");
        Add("search.profiles", "Capabilities", "Search customer profile histories.");
        Add("engagement.automations", "Capabilities", "Create automations triggered by visitor activity.");
        Add("schema.edit", "Capabilities", "Edit the data schema.");
        return list;
    }
}

/// <summary>The built-in roles seeded on first start; they can be referenced but never changed or deleted.</summary>
internal static class BuiltInRoles
{
    public static IReadOnlyList<RoleDto> All { get; } = Build();

    private static List<RoleDto> Build()
    {
        var all = PermissionCatalog.All.Select(p => p.Name).ToList();
        string[] agent =
        [
            "inbox.view", "inbox.reply", "contacts.view", "chatbot.view", "tags.view", "reply-templates.view", "live.view", "chat.live", "search.profiles",
        ];
        string[] supervisor =
        [
            .. agent, "inbox.assign", "inbox.view-all", "inbox.presence", "inbox.history", "contacts.manage", "reports.view",
            "reports.export", "agents.view", "business-units.view", "roles.view", "sessions.join", "sessions.recordings", "sessions.metadata",
        ];

        // The admin ally helps administer the account without billing, SSO or role design powers.
        var adminAlly = all.Where(p =>
                !p.StartsWith("finance.", StringComparison.Ordinal)
                && p is not ("roles.manage" or "sso.manage" or "settings.account.manage" or "schema.edit" or "audit.read"))
            .ToList();

        return
        [
            Role("admin", "Admin", "Full access to every area of the platform.", all),
            Role("supervisor", "Supervisor", "Leads agents: sees all conversations, assigns chats, joins sessions, reads reports.", [.. supervisor]),
            Role("agent", "Agent", "Handles conversations assigned to them.", [.. agent]),
            Role("admin-ally", "Admin ally", "Helps administer agents, channels and settings without billing, SSO or role management.", adminAlly),
        ];
    }

    private static RoleDto Role(string name, string displayName, string description, List<string> permissions) => new()
    {
        Name = name,
        DisplayName = displayName,
        Description = description,
        Permissions = permissions,
        BuiltIn = true,
    };
}
