namespace Reconciler.Core.Impact;

/// <summary>
/// One opening interval of a unit's office hours: a weekly interval (<see cref="Date"/> null), or a holiday's special
/// hours on its date, with that date's instants in UTC (the time zone's offset on that day, DST included).
/// </summary>
public sealed record CoverageSlot(string Label, DateOnly? Date, string Opens, string Closes, DateTimeOffset? StartUtc, DateTimeOffset? EndUtc, IReadOnlyList<string> Covering)
{
    public bool IsGap => Covering.Count == 0;
}

/// <summary>Coverage of one business unit in one language: every opening interval and the active L1 agents who serve it.</summary>
public sealed record CoverageCell(string Unit, string UnitDisplayName, string Language, string? OfficeHours, string TimeZone, IReadOnlyList<CoverageSlot> Slots);

/// <summary>A unit's capacity: the chats its active L1 agents can hold at once (sum of maxConcurrentChats).</summary>
public sealed record UnitCapacity(string Unit, string UnitDisplayName, int Capacity, int L1Agents);

/// <summary>The coverage matrix of an organisation: per unit and language, and each unit's capacity.</summary>
public sealed record CoverageMatrix(IReadOnlyList<CoverageCell> Cells, IReadOnlyList<UnitCapacity> Capacity);
