using Reconciler.Core.Engine;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Schedules;

/// <summary>Resources as they are meant to be at one instant, and the transitions still to come.</summary>
public sealed record DesiredStateAt(IReadOnlyList<Resource> Resources, IReadOnlyList<ScheduledTransition> Transitions)
{
    /// <summary>Evaluates every dated resource at <paramref name="at"/>; dates are read in the organisation's time zone.</summary>
    public static DesiredStateAt Evaluate(IReadOnlyList<Resource> resources, ObservedState? observed, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var zone = ZoneOf(resources, observed);
        var transitions = new List<ScheduledTransition>();
        var evaluated = new List<Resource>(resources.Count);
        foreach (var resource in resources)
        {
            if (DatedChangesOf(resource) is { } dated)
            {
                evaluated.Add(dated.At(resource, at, zone));
                transitions.AddRange(dated.Upcoming(resource, at, zone));
            }
            else
            {
                evaluated.Add(resource);
            }
        }

        return new DesiredStateAt(evaluated, [.. transitions.OrderBy(t => t.At).ThenBy(t => t.Address.Name, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The organisation's time zone: from the manifest of the kind that supplies it, else from the observed singleton,
    /// else UTC (a set of agents alone, against a platform that has no profile yet).
    /// </summary>
    public static TimeZoneInfo ZoneOf(IEnumerable<Resource> resources, ObservedState? observed)
    {
        var name = resources.Select(r => ResourceCatalog.DescriptionOf(r).TimeZoneOf(r)).FirstOrDefault(z => z is not null)
            ?? (ResourceCatalog.TimeZoneSupplier.TimeZoneField is { } field ? observed?.Organization?.Fields[field]?.ToString() : null);
        return name is not null && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    /// <summary>The resource's transitions due in (<paramref name="after"/>, <paramref name="upTo"/>]: what a late reconcile has just caught up on.</summary>
    public static IReadOnlyList<ScheduledTransition> Due(Resource resource, ObservedState? observed, DateTimeOffset after, DateTimeOffset upTo) =>
        DatedChangesOf(resource) is { } dated
            ? [.. dated.Upcoming(resource, after, ZoneOf([resource], observed)).Where(t => t.At <= upTo)]
            : [];

    /// <summary>When the resource's desired state next changes by itself after <paramref name="after"/>, if it is dated.</summary>
    public static DateTimeOffset? NextTransition(Resource resource, ObservedState? observed, DateTimeOffset after) =>
        DatedChangesOf(resource) is { } dated ? dated.Upcoming(resource, after, ZoneOf([resource], observed)).FirstOrDefault()?.At : null;

    /// <summary>The dated changes of a resource whose kind has them and that uses them.</summary>
    private static DatedChanges? DatedChangesOf(Resource resource) =>
        ResourceCatalog.Find(resource.Kind)?.Description.Dated is { } dated && dated.IsDated(resource) ? dated : null;
}
