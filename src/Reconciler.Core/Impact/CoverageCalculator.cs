using System.Globalization;

namespace Reconciler.Core.Impact;

/// <summary>
/// Computes coverage: for each business unit and each language its agents speak, whether an active L1 agent (the level
/// chats are assigned to automatically) serves every opening interval of the unit's office hours, holidays with special
/// hours included, in the office hours' own time zone. Pure.
/// </summary>
public static class CoverageCalculator
{
    /// <param name="state">The organisation.</param>
    /// <param name="languages">Languages to show per unit name besides its agents' (a plan's other side), so a language whose last speaker goes still shows.</param>
    public static CoverageMatrix Of(OrgSnapshot state, IReadOnlyDictionary<string, IReadOnlyList<string>>? languages = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var cells = new List<CoverageCell>();
        var capacity = new List<UnitCapacity>();
        var membership = UnitMembers.Of(state);
        foreach (var unit in state.Units.Values.OrderBy(u => u.Name, StringComparer.Ordinal))
        {
            var members = membership.In(unit);
            var serving = members.Where(p => p.Active && p.IsL1).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
            capacity.Add(new UnitCapacity(unit.Name, unit.DisplayName, serving.Sum(p => p.MaxConcurrentChats), serving.Count));
            var hours = state.HoursOf(unit);
            foreach (var language in Languages(members, languages?.GetValueOrDefault(unit.Name) ?? []))
            {
                var speakers = serving.Where(p => p.Languages.Contains(language, StringComparer.OrdinalIgnoreCase)).Select(p => p.Name).ToList();
                cells.Add(new CoverageCell(unit.Name, unit.DisplayName, language, hours?.Name, hours?.TimeZone ?? "UTC", Slots(hours, speakers)));
            }
        }

        return new CoverageMatrix(cells, capacity);
    }

    /// <summary>The languages of a unit's agents, any level and state (and <paramref name="others"/>), so a language nobody can serve any more still shows as a gap.</summary>
    public static IReadOnlyList<string> Languages(IEnumerable<Person> members, IEnumerable<string> others)
    {
        // The first spelling of each language, as grouping would keep it, without a group per language per unit.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var first = new List<string>();
        foreach (var language in members.SelectMany(p => p.Languages).Concat(others))
        {
            if (seen.Add(language))
                first.Add(language);
        }

        return [.. first.Order(StringComparer.OrdinalIgnoreCase)];
    }

    private static List<CoverageSlot> Slots(OfficeHoursInfo? hours, IReadOnlyList<string> covering)
    {
        if (hours is null)
            return [];
        var slots = hours.Weekly
            .OrderBy(w => w.Days.Select(DayIndex).DefaultIfEmpty(7).Min())
            .ThenBy(w => w.Opens, StringComparer.Ordinal)
            .Select(w => new CoverageSlot($"{Days(w.Days)} {w.Opens}–{w.Closes}", null, w.Opens, w.Closes, null, null, covering))
            .ToList();
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(hours.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        foreach (var holiday in hours.Holidays.Where(h => h.Opens is not null && h.Closes is not null).OrderBy(h => h.Date))
        {
            var start = Instant(zone, holiday.Date, holiday.Opens!);
            var end = Instant(zone, holiday.Date, holiday.Closes!);
            slots.Add(new CoverageSlot(
                string.Create(CultureInfo.InvariantCulture, $"{holiday.Date:yyyy-MM-dd} ({holiday.Name}) {holiday.Opens}–{holiday.Closes}"),
                holiday.Date,
                holiday.Opens!,
                holiday.Closes!,
                start,
                end,
                end > start ? covering : []));
        }

        return slots;
    }

    /// <summary>
    /// The UTC instant of a local time on a date in a zone. A time the clocks skip (spring forward) moves forward by the
    /// gap, as the platform opens at the first instant that exists; a repeated time (fall back) is the first of the two.
    /// </summary>
    public static DateTimeOffset Instant(TimeZoneInfo zone, DateOnly date, string time)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var parts = time.Split(':');
        var local = date.ToDateTime(TimeOnly.MinValue).AddHours(int.Parse(parts[0], CultureInfo.InvariantCulture)).AddMinutes(int.Parse(parts[1], CultureInfo.InvariantCulture));
        if (zone.IsInvalidTime(local))
        {
            var offsetBefore = zone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local, offsetBefore).ToUniversalTime();
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static int DayIndex(DayOfWeek day) => ((int)day + 6) % 7;

    /// <summary>Days as people write them: "Saturdays", "Mon–Fri", "Mon, Wed, Fri".</summary>
    public static string Days(IReadOnlyList<DayOfWeek> days)
    {
        var sorted = days.Distinct().OrderBy(DayIndex).ToList();
        if (sorted.Count == 1)
            return sorted[0] + "s";
        var consecutive = sorted.Select(DayIndex).Zip(sorted.Select(DayIndex).Skip(1)).All(p => p.Second == p.First + 1);
        return consecutive && sorted.Count > 2
            ? $"{Short(sorted[0])}–{Short(sorted[^1])}"
            : string.Join(", ", sorted.Select(Short));
    }

    private static string Short(DayOfWeek day) => day.ToString()[..3];
}
