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
        var byDay = new Dictionary<string, List<(int Opens, int Closes, int Index)>>(StringComparer.Ordinal);
        for (var i = 0; i < weekly.Count; i++)
        {
            var interval = weekly[i];
            var days = interval.Days ?? [];
            if (days.Count == 0)
                sink.Add($"weekly[{i}].days", RuleCodes.Required, "must name at least one day");
            var opens = WireFormats.OpeningMinutes(interval.Opens);
            var closes = WireFormats.ClosingMinutes(interval.Closes);
            if (opens is null)
                sink.Add($"weekly[{i}].opens", RuleCodes.Clock, "must be a time HH:MM (00:00-23:59)");
            if (closes is null)
                sink.Add($"weekly[{i}].closes", RuleCodes.Clock, "must be a time HH:MM (00:01-24:00)");
            var ordered = opens is not null && closes is not null && opens < closes;
            if (opens is not null && closes is not null && !ordered)
                sink.Add($"weekly[{i}].closes", RuleCodes.IntervalOrder, $"must be later than opens ({interval.Opens})");

            var listed = new HashSet<string>(StringComparer.Ordinal);
            for (var d = 0; d < days.Count; d++)
            {
                var day = days[d];
                if (!WireFormats.DayNames.Contains(day))
                {
                    sink.Add($"weekly[{i}].days[{d}]", RuleCodes.OneOf, "must be an English day name (Monday…Sunday)");
                    continue;
                }

                if (!listed.Add(day))
                {
                    sink.Add($"weekly[{i}].days", RuleCodes.DuplicateDay, $"{day} is listed more than once");
                    continue;
                }

                // An interval out of order is reported once; an overlap on top would only add noise.
                if (!ordered)
                    continue;
                if (!byDay.TryGetValue(day, out var list))
                    byDay[day] = list = [];
                foreach (var other in list.Where(o => opens < o.Closes && o.Opens < closes))
                    sink.Add($"weekly[{i}]", RuleCodes.IntervalOverlap, $"must not overlap weekly[{other.Index}] on {day}");
                list.Add((opens!.Value, closes!.Value, i));
            }
        }
    }

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
                    sink.Add($"holidays[{i}].closes", RuleCodes.IntervalOrder, $"must be later than opens ({holiday.Opens})");
            }
        }
    }
}
