using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>A person who answers chats.</summary>
[KubernetesKind("Agent", "agents", ShortNames = ["ag"])]
[PrinterColumn("EMAIL", ".spec.email")]
[PrinterColumn("ROLE", ".spec.roleRef.name")]
[PrinterColumn("LEVEL", ".spec.level")]
[PrinterColumn("ACTIVE", ".spec.active", "boolean")]
[PrinterColumn("SUPERVISOR", ".spec.supervisorRef.name", Priority = 1)]
[PrinterColumn("PRESENCE", ".status.presence", Priority = 1)]
[PrinterColumn("INVITATION", ".status.invitation.state", Priority = 1)]
[Description("An agent: a person who answers chats, with a role, business units, level, languages and a supervisor.")]
[CelRule("!has(self.spec.supervisorRef) || self.spec.supervisorRef.name != self.metadata.name", "an agent cannot supervise itself", FieldPath = ".spec.supervisorRef.name")]
public sealed record Agent : Resource<AgentSpec, AgentStatus>;

/// <summary>How an agent receives chats: L1 is auto-assigned, the others join by invitation.</summary>
public enum AgentLevel
{
    L1,
    L2,
    L3,
    Expert,
}

/// <summary>What an agent can do in a session.</summary>
public enum AgentCapability
{
    Live,
    Chat,
    Search,
    Reports,
    Engagement,
}

[Description("Desired state of the agent on the platform.")]
public sealed record AgentSpec
{
    [Required]
    [EmailAddress]
    [MaxLength(254)]
    [Description("E-mail address; the platform's natural key for agents (case-insensitive).")]
    public required string Email { get; init; }

    [Required]
    [MaxLength(200)]
    [Description("Full name.")]
    public required string DisplayName { get; init; }

    [CrdString(Pattern = Patterns.E164)]
    [Description("Mobile number in E.164 format, e.g. +5511987654321.")]
    public string? Mobile { get; init; }

    [Required]
    [Description("Role: a built-in (admin, supervisor, agent, admin-ally) or a Role in the same namespace.")]
    public required ResourceRef RoleRef { get; init; }

    [CrdList(CrdListType.Map, "name")]
    [Description("Business units the agent belongs to.")]
    public IReadOnlyList<ResourceRef> BusinessUnitRefs { get; init; } = [];

    [Description("L1 agents are auto-assigned chats; L2, L3 and Expert join by invitation.")]
    public AgentLevel Level { get; init; } = AgentLevel.L1;

    [Description("The Agent who supervises this one.")]
    public ResourceRef? SupervisorRef { get; init; }

    [MaxLength(100)]
    [CrdList(CrdListType.Set)]
    [CrdString(Pattern = Patterns.LanguageTag, MaxLength = 100)]
    [CelRule(CelRules.DistinctIgnoringCase, "languages must be distinct, ignoring case")]
    [Description("Languages the agent chats in, as BCP-47 tags (en, pt-BR).")]
    public IReadOnlyList<string> Languages { get; init; } = [];

    [MaxLength(100)]
    [CrdList(CrdListType.Set)]
    [CrdString(MaxLength = 100)]
    [CelRule(CelRules.DistinctIgnoringCase, "categories must be distinct, ignoring case")]
    [Description("Chat categories the agent handles.")]
    public IReadOnlyList<string> Categories { get; init; } = [];

    [Range(1, 50)]
    [Description("Most chats the agent handles at once.")]
    public int MaxConcurrentChats { get; init; } = 3;

    [CrdList(CrdListType.Set)]
    [Description("Live, Chat, Search, Reports, Engagement.")]
    public IReadOnlyList<AgentCapability> Capabilities { get; init; } = [];

    [Description("false deactivates the agent without deleting it.")]
    public bool Active { get; init; } = true;

    [CrdString(Pattern = Schedules.ScheduleTime.Pattern, MaxLength = 40)]
    [Description("When the agent becomes active: an RFC 3339 timestamp, or a date (start of that day in the organisation's time zone). Before it the agent is deactivated.")]
    public string? ActiveFrom { get; init; }

    [CrdString(Pattern = Schedules.ScheduleTime.Pattern, MaxLength = 40)]
    [Description("When the agent stops being active: an RFC 3339 timestamp, or a date (end of that day in the organisation's time zone). From then on the agent is deactivated, never deleted.")]
    public string? ActiveUntil { get; init; }

    [MaxLength(50)]
    [Description("Temporary assignments: while a window is open its role, business units or level replace the spec's.")]
    public IReadOnlyList<TemporaryAssignment> Temporary { get; init; } = [];

    [Description("Delete removes the agent from the platform when the resource is deleted; Orphan leaves it.")]
    public DeletionPolicy DeletionPolicy { get; init; } = DeletionPolicy.Delete;
}
