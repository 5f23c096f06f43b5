using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Core.Impact;

/// <summary>The coverage matrix for people (an aligned table), pull requests (Markdown) and machines (JSON).</summary>
public static class CoverageReport
{
    private static readonly string[] CoverageHeader = ["BUSINESS UNIT", "LANGUAGE", "OFFICE HOURS", "INTERVAL", "L1 AGENTS"];

    private static readonly string[] CapacityHeader = ["BUSINESS UNIT", "ACTIVE L1 AGENTS", "CAPACITY (CHATS)"];

    public static string ToText(CoverageMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var text = new StringBuilder();
        text.Append(Table(CoverageHeader, Rows(matrix)));
        text.AppendLine();
        text.Append(Table(CapacityHeader, CapacityRows(matrix)));
        text.AppendLine();
        text.AppendLine(Summary(matrix));
        return text.ToString();
    }

    public static string ToMarkdown(CoverageMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var text = new StringBuilder("### Coverage\n\n");
        text.Append(MarkdownTable(CoverageHeader, Rows(matrix)));
        text.Append("\n### Capacity\n\n");
        text.Append(MarkdownTable(CapacityHeader, CapacityRows(matrix)));
        text.Append('\n').Append("**").Append(Summary(matrix)).Append("**\n");
        return text.ToString();
    }

    public static string ToJson(CoverageMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var json = new JsonObject
        {
            ["coverage"] = new JsonArray([.. matrix.Cells.Select(c => (JsonNode?)new JsonObject
            {
                ["business_unit"] = c.Unit,
                ["display_name"] = c.UnitDisplayName,
                ["language"] = c.Language,
                ["office_hours"] = c.OfficeHours,
                ["time_zone"] = c.TimeZone,
                ["intervals"] = new JsonArray([.. c.Slots.Select(s => (JsonNode?)new JsonObject
                {
                    ["interval"] = s.Label,
                    ["date"] = s.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["start_utc"] = s.StartUtc?.ToString("O", CultureInfo.InvariantCulture),
                    ["end_utc"] = s.EndUtc?.ToString("O", CultureInfo.InvariantCulture),
                    ["gap"] = s.IsGap,
                    ["agents"] = new JsonArray([.. s.Covering.Select(a => (JsonNode?)a)]),
                })]),
            })]),
            ["capacity"] = new JsonArray([.. matrix.Capacity.Select(c => (JsonNode?)new JsonObject
            {
                ["business_unit"] = c.Unit,
                ["display_name"] = c.UnitDisplayName,
                ["l1_agents"] = c.L1Agents,
                ["capacity"] = c.Capacity,
            })]),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string Summary(CoverageMatrix matrix)
    {
        var gaps = matrix.Cells.Sum(c => c.Slots.Count(s => s.IsGap));
        var slots = matrix.Cells.Sum(c => c.Slots.Count);
        return string.Create(CultureInfo.InvariantCulture, $"Coverage: {slots - gaps} of {slots} opening intervals served by an active L1 agent; {gaps} gap(s).");
    }

    private static List<string[]> Rows(CoverageMatrix matrix) =>
    [
        .. matrix.Cells.SelectMany(c => c.Slots.Count == 0
            ? [[c.UnitDisplayName, c.Language, "(no office hours)", "", ""]]
            : c.Slots.Select(s => new[]
            {
                c.UnitDisplayName,
                c.Language,
                $"{c.OfficeHours} ({c.TimeZone})",
                s.Label,
                s.IsGap ? "GAP: none" : string.Join(", ", s.Covering),
            })),
    ];

    private static List<string[]> CapacityRows(CoverageMatrix matrix) =>
        [.. matrix.Capacity.Select(c => new[] { c.UnitDisplayName, c.L1Agents.ToString(CultureInfo.InvariantCulture), c.Capacity.ToString(CultureInfo.InvariantCulture) })];

    private static string Table(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        return text.ToString();
    }

    private static string MarkdownTable(string[] header, List<string[]> rows)
    {
        static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
        var text = new StringBuilder();
        text.Append("| ").Append(string.Join(" | ", header)).Append(" |\n");
        text.Append('|').Append(string.Concat(header.Select(_ => "---|"))).Append('\n');
        foreach (var row in rows)
            text.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        return text.ToString();
    }
}
