using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Reconciler.Core.Schedules;

namespace Reconciler.Core.Resources;

/// <summary>An override of an agent's role, business units or level for a window of time (a colleague's leave, a project).</summary>
[Description("While the window [from, until) is open, the fields set here replace the spec's; after it, the spec applies again.")]
[CelRule("has(self.roleRef) || has(self.businessUnitRefs) || has(self.level)", "a temporary assignment sets roleRef, businessUnitRefs or level")]
public sealed record TemporaryAssignment
{
    [Description("Role while the window is open.")]
    public ResourceRef? RoleRef { get; init; }

    [CrdList(CrdListType.Map, "name")]
    [Description("Business units while the window is open (they replace the spec's).")]
    public IReadOnlyList<ResourceRef>? BusinessUnitRefs { get; init; }

    [Description("Level while the window is open.")]
    public AgentLevel? Level { get; init; }

    [Required]
    [CrdString(Pattern = ScheduleTime.Pattern, MaxLength = 40)]
    [Description("When the window opens: an RFC 3339 timestamp, or a date (start of that day in the organisation's time zone).")]
    public required string From { get; init; }

    [Required]
    [CrdString(Pattern = ScheduleTime.Pattern, MaxLength = 40)]
    [Description("When the window closes: an RFC 3339 timestamp, or a date (end of that day in the organisation's time zone).")]
    public required string Until { get; init; }

    [MaxLength(500)]
    [Description("Why, for reviewers and the transition's event.")]
    public string? Reason { get; init; }
}
