using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>The observed state shared by every kind: conditions, platform id, drift.</summary>
[Description("Observed state written by the reconciler.")]
public record ResourceStatus
{
    [Description("The metadata.generation this status describes.")]
    public long? ObservedGeneration { get; init; }

    [Description("Ready, Synced and Drifted, and kstatus's Reconciling and Stalled (present only while True), in the metav1.Condition shape.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("The platform object's id.")]
    public string? Id { get; init; }

    [Description("When the platform last matched the spec.")]
    public DateTimeOffset? LastSyncedAt { get; init; }

    [Description("Fields that differ between spec and platform, when drifted.")]
    public IReadOnlyList<DriftedField>? DriftedFields { get; init; }
}

/// <summary>metav1.Condition; its schema, with upstream's constraints, is <see cref="Schema.ConditionSchema"/>'s.</summary>
[Description("A metav1.Condition.")]
public sealed record Condition
{
    [Description("Condition type: Ready, Synced, Drifted, Reconciling (a retry is expected to help) or Stalled (only a change can help).")]
    public required string Type { get; init; }

    [Description("True, False or Unknown.")]
    public required string Status { get; init; }

    [Description("The metadata.generation the condition was set for.")]
    public long? ObservedGeneration { get; init; }

    [Description("When the condition last changed status.")]
    public required DateTimeOffset LastTransitionTime { get; init; }

    [Description("CamelCase reason, e.g. ReconcileSuccess, ReferenceNotFound.")]
    public required string Reason { get; init; }

    [Description("Human-readable detail.")]
    public string Message { get; init; } = "";
}

/// <summary>A field that differs on the platform, and who changed it when the audit trail says so.</summary>
[Description("A field that differs between the spec and the platform.")]
public sealed record DriftedField
{
    [Required]
    [Description("Field path, e.g. spec.level.")]
    public required string Field { get; init; }

    [Description("Who changed it on the platform, from its audit trail.")]
    public string? ChangedBy { get; init; }

    [Description("When it was changed on the platform.")]
    public DateTimeOffset? ChangedAt { get; init; }
}

/// <summary>Agent status adds what the platform's console shows about the person.</summary>
[Description("Observed state of an agent.")]
public sealed record AgentStatus : ResourceStatus
{
    [Description("Presence on the platform: Online, Offline or Available.")]
    public string? Presence { get; init; }

    [Description("When the agent was (last) activated.")]
    public DateTimeOffset? ActivatedAt { get; init; }

    [Description("When the agent was deactivated, if inactive.")]
    public DateTimeOffset? DeactivatedAt { get; init; }

    [Description("When the next dated change (activeFrom, activeUntil, a temporary window) is due; the operator reconciles the agent then.")]
    public DateTimeOffset? NextTransitionAt { get; init; }

    [Description("The e-mail invitation the platform sent the person, as the platform reports it; absent until one is sent (an agent saved inactive is invited when activated).")]
    public AgentInvitation? Invitation { get; init; }
}

/// <summary>An agent's invitation as the platform reports it: Invited, then Accepted once the person signs in.</summary>
[Description("The agent's invitation.")]
public sealed record AgentInvitation
{
    [Description("Invited (sent, not yet accepted) or Accepted.")]
    public string? State { get; init; }

    [Description("When the (latest) invitation was sent.")]
    public DateTimeOffset? InvitedAt { get; init; }

    [Description("When the person accepted it.")]
    public DateTimeOffset? AcceptedAt { get; init; }
}
