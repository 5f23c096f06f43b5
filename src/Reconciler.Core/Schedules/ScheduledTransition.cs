using Reconciler.Core.Resources;

namespace Reconciler.Core.Schedules;

/// <summary>A moment at which a resource's desired state changes by itself (a window opens or closes), and what changes.</summary>
/// <param name="At">The boundary.</param>
/// <param name="Address">The resource.</param>
/// <param name="Description">For people: "Maria Santos back to role agent".</param>
/// <param name="Changes">The manifest fields that change, with their values before and after.</param>
public sealed record ScheduledTransition(DateTimeOffset At, ResourceId Address, string Description, IReadOnlyList<TransitionChange> Changes);

/// <summary>One manifest field that a transition changes.</summary>
public sealed record TransitionChange(string Field, string? From, string? To);
