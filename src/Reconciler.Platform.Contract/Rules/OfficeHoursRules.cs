namespace Reconciler.Platform.Contract.Rules;

/// <summary>Weekly intervals (HH:MM, opens before closes, each day once, no overlap within a day) and holidays.</summary>
internal static class OfficeHoursRules
{
    public const int MaxIntervals = 50;
    public const int MaxHolidays = 1000;

    public static void Weekly(RuleSink sink, IReadOnlyList<WeeklyIntervalDto> weekly)
    {
        if (weekly.Count > MaxIntervals)
            sink.Add("weekly", RuleCodes.Length, $"must have at most {MaxIntervals} intervals");
        var valid = new List<ValidInterval>();
        for (var i = 0; i < weekly.Count; i++)
        {
            var interval = weekly[i];
            var days = interval.Days ?? [];
            if (days.Count == 0)
                sink.Add($"weekly[{i}].days", RuleCodes.Required, "must name at least one day");
            for (var d = 0; d < days.Count; d++)
            {
                if (!WireFormats.DayNames.Contains(days[d]))
                    sink.Add($"weekly[{i}].days[{d}]", RuleCodes.OneOf, "must be an English day name (Monday…Sunday)");
            }

            foreach (var day in days.GroupBy(d => d, StringComparer.Ordinal).Where(g => g.Count() > 1))
                sink.Add($"weekly[{i}].days", RuleCodes.DuplicateDay, $"{day.Key} is listed more than once");

            var opens = WireFormats.OpeningMinutes(interval.Opens);
            var closes = WireFormats.ClosingMinutes(interval.Closes);
            if (opens is null)
                sink.Add($"weekly[{i}].opens", RuleCodes.Clock, "must be a time HH:MM (00:00-23:59)");
            if (closes is null)
                sink.Add($"weekly[{i}].closes", RuleCodes.Clock, "must be a time HH:MM (00:01-24:00)");
            if (opens is null || closes is null)
                continue;
            if (opens >= closes)
                sink.Add($"weekly[{i}].closes", RuleCodes.IntervalOrder, $"closes {interval.Closes} is not after opens {interval.Opens}");
            else
                valid.Add(new(i, opens.Value, closes.Value, days));
        }

        // Intervals out of order are reported once; an overlap on top would only add noise.
        for (var b = 1; b < valid.Count; b++)
        {
            for (var a = 0; a < b; a++)
            {
                var (first, second) = (valid[a], valid[b]);
                var shared = WireFormats.DayNames.Where(d => first.Days.Contains(d) && second.Days.Contains(d)).ToList();
                if (shared.Count == 0 || !(first.Opens < second.Closes && second.Opens < first.Closes))
                    continue;
                sink.Add($"weekly[{second.Index}]", RuleCodes.IntervalOverlap,
                    $"{weekly[second.Index].Opens}-{weekly[second.Index].Closes} overlaps weekly[{first.Index}] {weekly[first.Index].Opens}-{weekly[first.Index].Closes} on {string.Join(", ", shared)}");
            }
        }
    }

    /// <summary>
    /// An interval that passed its own checks, to be checked for overlaps. A class, not a tuple: a list of a tuple of
    /// value types is the framework's generic code compiled at start, a list of a class is precompiled.
    /// </summary>
    private sealed record ValidInterval(int Index, int Opens, int Closes, IReadOnlyList<string> Days);

    public static void Holidays(RuleSink sink, IReadOnlyList<HolidayDto> holidays)
    {
        if (holidays.Count > MaxHolidays)
            sink.Add("holidays", RuleCodes.Length, $"must have at most {MaxHolidays} items");
        var dates = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < holidays.Count; i++)
        {
            var holiday = holidays[i];
            if (!WireFormats.IsDate(holiday.Date))
                sink.Add($"holidays[{i}].date", RuleCodes.Date, "must be a calendar date YYYY-MM-DD");
            else if (!dates.TryAdd(holiday.Date, i))
                sink.Add($"holidays[{i}].date", RuleCodes.DuplicateHoliday, $"{holiday.Date} is already listed at holidays[{dates[holiday.Date]}]");

            sink.Text($"holidays[{i}].name", holiday.Name, 200, required: true);
            if ((holiday.Opens is null) != (holiday.Closes is null))
            {
                sink.Add($"holidays[{i}].{(holiday.Opens is null ? "opens" : "closes")}", RuleCodes.HolidayHours,
                    "special hours need both opens and closes; leave both out for a day closed");
            }
            else if (holiday.Opens is not null)
            {
                var opens = WireFormats.OpeningMinutes(holiday.Opens);
                var closes = WireFormats.ClosingMinutes(holiday.Closes);
                if (opens is null)
                    sink.Add($"holidays[{i}].opens", RuleCodes.Clock, "must be a time HH:MM (00:00-23:59)");
                if (closes is null)
                    sink.Add($"holidays[{i}].closes", RuleCodes.Clock, "must be a time HH:MM (00:01-24:00)");
                if (opens is not null && closes is not null && opens >= closes)
                    sink.Add($"holidays[{i}].closes", RuleCodes.IntervalOrder, $"closes {holiday.Closes} is not after opens {holiday.Opens}");
            }
        }
    }
}
