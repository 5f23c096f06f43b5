using Reconciler.Core.Resources;

namespace Reconciler.Core.Schedules;

/// <summary>
/// A kind whose desired state changes by itself at dates its spec gives (an agent's activeFrom/activeUntil and temporary
/// windows): the spec in force at an instant, the transitions to come, and where its status records the next one.
/// </summary>
public abstract class DatedChanges
{
    /// <summary>Whether the resource has anything dated; one that has not is its own spec at every instant.</summary>
    public abstract bool IsDated(Resource resource);

    /// <summary>The resource as it is meant to be at <paramref name="at"/>.</summary>
    public abstract Resource At(Resource resource, DateTimeOffset at, TimeZoneInfo zone);

    /// <summary>The transitions after <paramref name="after"/> (exclusive) that change the resource, in order.</summary>
    public abstract IReadOnlyList<ScheduledTransition> Upcoming(Resource resource, DateTimeOffset after, TimeZoneInfo zone);

    /// <summary>The next transition recorded in the status.</summary>
    public abstract DateTimeOffset? NextTransitionOf(ResourceStatus status);

    /// <summary>The status recording <paramref name="next"/> as the next transition.</summary>
    public abstract ResourceStatus WithNextTransition(ResourceStatus status, DateTimeOffset? next);
}

/// <summary>The dated changes of <typeparamref name="TResource"/>, written against its own resource and status types.</summary>
public sealed class DatedChanges<TResource, TStatus> : DatedChanges
    where TResource : Resource
    where TStatus : ResourceStatus
{
    public required Func<TResource, bool> Dated { get; init; }

    public required Func<TResource, DateTimeOffset, TimeZoneInfo, TResource> Evaluate { get; init; }

    public required Func<TResource, DateTimeOffset, TimeZoneInfo, IReadOnlyList<ScheduledTransition>> Transitions { get; init; }

    public required Func<TStatus, DateTimeOffset?> NextTransition { get; init; }

    public required Func<TStatus, DateTimeOffset?, TStatus> RecordNextTransition { get; init; }

    public override bool IsDated(Resource resource) => Dated((TResource)resource);

    public override Resource At(Resource resource, DateTimeOffset at, TimeZoneInfo zone) => Evaluate((TResource)resource, at, zone);

    public override IReadOnlyList<ScheduledTransition> Upcoming(Resource resource, DateTimeOffset after, TimeZoneInfo zone) => Transitions((TResource)resource, after, zone);

    // A status of another type (the shared one, before the kind's own is read) records nothing.
    public override DateTimeOffset? NextTransitionOf(ResourceStatus status) => status is TStatus typed ? NextTransition(typed) : null;

    public override ResourceStatus WithNextTransition(ResourceStatus status, DateTimeOffset? next) => status is TStatus typed ? RecordNextTransition(typed, next) : status;
}
