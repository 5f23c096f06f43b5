using System.Globalization;
using System.Text.Json;

namespace Reconciler.Benchmarks;

/// <summary>
/// When an apply's writes reached the platform, read from its audit trail: the first and the last event of a caller
/// other than the platform itself (its built-in roles are written by "system" at start). It splits an apply's whole
/// command into the time before its first create and its create phase, which compares with the raw creates.
/// </summary>
internal sealed record AuditTimeline(DateTimeOffset First, DateTimeOffset Last, int Writes)
{
    private const string PlatformActor = "system";

    public static async Task<AuditTimeline> ReadAsync(HttpClient http)
    {
        DateTimeOffset? first = null, last = null;
        var writes = 0;
        string? cursor = null;
        do
        {
            using var page = JsonDocument.Parse(await http.GetByteArrayAsync("audit-events" + (cursor is null ? "" : "?cursor=" + Uri.EscapeDataString(cursor))));
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("actor").GetString() == PlatformActor)
                    continue;
                var at = DateTimeOffset.Parse(item.GetProperty("at").GetString()!, CultureInfo.InvariantCulture);
                first = first is { } f && f <= at ? f : at;
                last = last is { } l && l >= at ? l : at;
                writes++;
            }

            cursor = page.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);

        return first is { } start && last is { } end
            ? new AuditTimeline(start, end, writes)
            : throw new InvalidOperationException("the platform's audit trail holds no write of the apply");
    }
}
