namespace Reconciler.Core.Impact;

/// <summary>An opening interval of a unit in a language that a plan leaves without (or gives back) an active L1 agent.</summary>
/// <param name="Unit">The unit's name.</param>
/// <param name="UnitDisplayName">The unit's display name.</param>
/// <param name="Language">BCP-47 tag.</param>
/// <param name="Slot">The opening interval, in the office hours' local time.</param>
/// <param name="TimeZone">The office hours' IANA time zone.</param>
/// <param name="Agents">Opened: who served it before (empty for new opening hours); closed: who serves it after.</param>
public sealed record CoverageGap(string Unit, string UnitDisplayName, string Language, string Slot, string TimeZone, IReadOnlyList<string> Agents);

/// <summary>A unit whose capacity the plan changes.</summary>
public sealed record CapacityChange(string Unit, string UnitDisplayName, int Before, int After);

/// <summary>Coverage gaps a plan opens and closes, and the capacity it moves.</summary>
public sealed record CoverageImpact(IReadOnlyList<CoverageGap> Opened, IReadOnlyList<CoverageGap> Closed, IReadOnlyList<CapacityChange> Capacity)
{
    /// <summary>No gap opened or closed, no capacity moved.</summary>
    public static readonly CoverageImpact None = new([], [], []);

    public bool IsEmpty => Opened.Count == 0 && Closed.Count == 0 && Capacity.Count == 0;

    public static CoverageImpact Of(CoverageMatrix before, CoverageMatrix after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var was = Index(before);
        var now = Index(after);
        var opened = new List<CoverageGap>();
        var closed = new List<CoverageGap>();
        foreach (var ((unit, language, label), (cell, slot)) in now)
        {
            var old = was.GetValueOrDefault((unit, language, label));
            if (slot.IsGap && (old.Slot is null || !old.Slot.IsGap))
                opened.Add(new CoverageGap(unit, cell.UnitDisplayName, cell.Language, label, cell.TimeZone, old.Slot?.Covering ?? []));
            else if (!slot.IsGap && old.Slot is { IsGap: true })
                closed.Add(new CoverageGap(unit, cell.UnitDisplayName, cell.Language, label, cell.TimeZone, slot.Covering));
        }

        var capacityBefore = before.Capacity.ToDictionary(c => c.Unit, StringComparer.Ordinal);
        var capacity = after.Capacity
            .Select(c => new CapacityChange(c.Unit, c.UnitDisplayName, capacityBefore.GetValueOrDefault(c.Unit)?.Capacity ?? 0, c.Capacity))
            .Concat(before.Capacity.Where(c => !after.Capacity.Any(a => a.Unit == c.Unit)).Select(c => new CapacityChange(c.Unit, c.UnitDisplayName, c.Capacity, 0)))
            .Where(c => c.Before != c.After)
            .OrderBy(c => c.Unit, StringComparer.Ordinal)
            .ToList();
        return new CoverageImpact(opened, closed, capacity);
    }

    private static Dictionary<(string Unit, string Language, string Slot), (CoverageCell Cell, CoverageSlot Slot)> Index(CoverageMatrix matrix)
    {
        var index = new Dictionary<(string, string, string), (CoverageCell, CoverageSlot)>();
        foreach (var cell in matrix.Cells)
        {
            foreach (var slot in cell.Slots)
                index[(cell.Unit, cell.Language.ToLowerInvariant(), slot.Label)] = (cell, slot);
        }

        return index;
    }
}
