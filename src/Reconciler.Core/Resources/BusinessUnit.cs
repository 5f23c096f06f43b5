using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>A department that chats are routed to.</summary>
[KubernetesKind("BusinessUnit", "businessunits", ShortNames = ["bu"])]
[PrinterColumn("DISPLAY-NAME", ".spec.displayName")]
[PrinterColumn("OFFICE-HOURS", ".spec.officeHoursRef.name")]
[PrinterColumn("STRATEGY", ".spec.routing.strategy", Priority = 1)]
[Description("A business unit (department) that agents belong to and chats are routed to.")]
public sealed record BusinessUnit : Resource<BusinessUnitSpec, ResourceStatus>;

[Description("Desired state of the business unit on the platform.")]
public sealed record BusinessUnitSpec
{
    [Required]
    [MaxLength(200)]
    [Description("Name shown on the platform.")]
    public required string DisplayName { get; init; }

    [MaxLength(2000)]
    [Description("What the unit does.")]
    public string? Description { get; init; }

    [Description("OfficeHours of the unit; the organisation's default when absent.")]
    public ResourceRef? OfficeHoursRef { get; init; }

    [Description("How chats reach the unit's agents.")]
    public Routing? Routing { get; init; }

    [Description("Delete removes the business unit from the platform when the resource is deleted; Orphan leaves it.")]
    public DeletionPolicy DeletionPolicy { get; init; } = DeletionPolicy.Delete;
}

/// <summary>How chats are assigned within a unit.</summary>
public enum RoutingStrategy
{
    RoundRobin,
    LeastBusy,
    Manual,
}

[Description("Chat routing of a business unit.")]
public sealed record Routing
{
    [MaxLength(200)]
    [Description("Chatbot that greets customers before routing.")]
    public string? ChatbotId { get; init; }

    [Description("RoundRobin, LeastBusy or Manual.")]
    public RoutingStrategy Strategy { get; init; } = RoutingStrategy.RoundRobin;

    [Range(0, 10000)]
    [Description("Most chats waiting in the unit's queue; 0 means no limit.")]
    public int QueueLimit { get; init; }
}
