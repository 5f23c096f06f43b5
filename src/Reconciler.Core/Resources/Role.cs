using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>A custom role: a named set of permissions from the platform's catalog.</summary>
[KubernetesKind("Role", "roles", ShortNames = ["srole"])]
[PrinterColumn("DISPLAY-NAME", ".spec.displayName")]
[Description("A custom role: a named set of permissions from the platform's permission catalog. The built-in roles admin, supervisor, agent and admin-ally need no Role to be referenced.")]
[CelRule("!(self.metadata.name in ['admin', 'supervisor', 'agent', 'admin-ally'])", "metadata.name is a built-in role (admin, supervisor, agent, admin-ally); reference it without defining it, or choose another name")]
public sealed record Role : Resource<RoleSpec, ResourceStatus>
{
    /// <summary>Roles every platform has; they can be referenced but not defined or changed.</summary>
    public static readonly IReadOnlySet<string> BuiltIn = new HashSet<string>(StringComparer.Ordinal) { "admin", "supervisor", "agent", "admin-ally" };
}

[Description("Desired state of the role: its name and permissions.")]
public sealed record RoleSpec
{
    [Required]
    [MaxLength(200)]
    [Description("Name shown on the platform.")]
    public required string DisplayName { get; init; }

    [MaxLength(2000)]
    [Description("What the role is for.")]
    public string? Description { get; init; }

    [CrdList(CrdListType.Set)]
    [CrdString(Pattern = Patterns.PermissionName)]
    [Description("Permission names from the platform's catalog (GET /api/v1/permissions); order does not matter, each once.")]
    public IReadOnlyList<string> Permissions { get; init; } = [];

    [Description("Delete removes the role from the platform when the resource is deleted; Orphan leaves it.")]
    public DeletionPolicy DeletionPolicy { get; init; } = DeletionPolicy.Delete;
}
