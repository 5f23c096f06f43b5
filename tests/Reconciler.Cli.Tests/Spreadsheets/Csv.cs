namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>Cell surgery on one CSV line, quotes respected.</summary>
internal static class Csv
{
    public static string SetCell(string line, int column, string value)
    {
        var cells = Split(line);
        cells[column] = value.Contains(',', StringComparison.Ordinal) ? $"\"{value}\"" : value;
        return string.Join(',', cells);
    }

    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
                quoted = !quoted;
            if (c == ',' && !quoted)
            {
                cells.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        cells.Add(current.ToString());
        return cells;
    }
}
