using System.Globalization;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>Weekly intervals open before they close, list each day once, and do not overlap on any day.</summary>
public sealed class WeeklyHoursRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var hours in context.Set.OfType<OfficeHours>())
        {
            var weekly = hours.Spec.Weekly;
            for (var i = 0; i < weekly.Count; i++)
            {
                var interval = weekly[i];
                var path = $"spec.weekly[{i}]";
                foreach (var day in interval.Days.GroupBy(d => d).Where(g => g.Count() > 1))
                    yield return context.Error(DiagnosticCodes.DuplicateDay, hours, $"{path}.days", $"{day.Key} is listed more than once");
                if (!Clock.IsOrdered(interval.Opens, interval.Closes))
                {
                    yield return context.Error(DiagnosticCodes.IntervalOrder, hours, $"{path}.closes",
                        $"closes {interval.Closes} is not after opens {interval.Opens}");
                }
            }

            for (var j = 1; j < weekly.Count; j++)
            {
                for (var i = 0; i < j; i++)
                {
                    if (!Clock.IsOrdered(weekly[i].Opens, weekly[i].Closes) || !Clock.IsOrdered(weekly[j].Opens, weekly[j].Closes))
                        continue; // already reported as out of order; an overlap on top would only add noise
                    var days = weekly[i].Days.Intersect(weekly[j].Days).ToList();
                    if (days.Count == 0 || !Clock.Overlap(weekly[i].Opens, weekly[i].Closes, weekly[j].Opens, weekly[j].Closes))
                        continue;
                    yield return context.Error(DiagnosticCodes.IntervalOverlap, hours, $"spec.weekly[{j}]",
                        $"{weekly[j].Opens}-{weekly[j].Closes} overlaps spec.weekly[{i}] {weekly[i].Opens}-{weekly[i].Closes} on {string.Join(", ", days)}");
                }
            }
        }
    }
}

/// <summary>Holidays are real calendar dates, listed once, closed or with both special times in order.</summary>
public sealed class HolidayRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var hours in context.Set.OfType<OfficeHours>())
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < hours.Spec.Holidays.Count; i++)
            {
                var holiday = hours.Spec.Holidays[i];
                var path = $"spec.holidays[{i}]";
                if (!DateOnly.TryParseExact(holiday.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    yield return context.Error(DiagnosticCodes.InvalidDate, hours, $"{path}.date", $"\"{holiday.Date}\" is not a calendar date");
                else if (!seen.TryAdd(holiday.Date, i))
                    yield return context.Error(DiagnosticCodes.DuplicateHoliday, hours, $"{path}.date", $"{holiday.Date} is already listed at spec.holidays[{seen[holiday.Date]}]");

                if ((holiday.Opens is null) != (holiday.Closes is null))
                {
                    var missing = holiday.Opens is null ? "opens" : "closes";
                    yield return context.Error(DiagnosticCodes.HolidayHours, hours, $"{path}.{missing}",
                        "special hours need both opens and closes; leave both out for a day closed");
                }
                else if (holiday.Opens is not null && !Clock.IsOrdered(holiday.Opens, holiday.Closes!))
                {
                    yield return context.Error(DiagnosticCodes.IntervalOrder, hours, $"{path}.closes",
                        $"closes {holiday.Closes} is not after opens {holiday.Opens}");
                }
            }
        }
    }
}

/// <summary>HH:MM arithmetic; the loader already checked the format, 24:00 means midnight at the end of the day.</summary>
internal static class Clock
{
    public static int Minutes(string hhmm) =>
        hhmm.Length == 5 && int.TryParse(hhmm.AsSpan(0, 2), CultureInfo.InvariantCulture, out var h) && int.TryParse(hhmm.AsSpan(3, 2), CultureInfo.InvariantCulture, out var m)
            ? (h * 60) + m
            : -1;

    public static bool IsOrdered(string opens, string closes) => Minutes(opens) < Minutes(closes);

    public static bool Overlap(string opensA, string closesA, string opensB, string closesB) =>
        Minutes(opensA) < Minutes(closesB) && Minutes(opensB) < Minutes(closesA);
}
