using CsvHelper;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// Reads a CSV file with CsvHelper, record by record; the separator (comma, semicolon, tab) is detected, and the
/// apostrophe that escapes a formula-like value written by <c>report</c> is removed so such values round-trip.
/// </summary>
internal sealed partial class CsvSheetSource(string path, string displayName) : ISheetSource
{
    /// <summary>First characters that make a spreadsheet run a cell as a formula (OWASP CSV injection); such values are written after an apostrophe.</summary>
    public const string FormulaStarts = "=@+-\t\r";

    public string Description { get; } = displayName;

    public string Origin { get; } = displayName;

    public IEnumerable<SheetRow> Rows()
    {
        // Empty lines are kept so that record numbers are the row numbers a spreadsheet shows for the file.
        var options = CsvReaderOptions.Default with { HasHeader = false, SkipEmptyLines = false, IncludeValuesInExceptions = false };
        using var reader = CsvReader.FromFile(path, options);
        while (reader.Read())
        {
            var cells = new SheetCell?[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = reader.GetString(i) is { Length: > 0 } value ? new SheetCell(Unescape(value), CellKind.Text) : null;
            yield return new SheetRow(checked((int)reader.RowNumber), cells);
        }
    }

    /// <summary>
    /// The value as written to CSV: after an apostrophe when it starts like a formula. A phone number such as
    /// +5511987650001 is left as it is: a spreadsheet reads it as a number, runs nothing, and other readers keep it.
    /// </summary>
    public static string Escape(string value) =>
        value.Length > 0 && FormulaStarts.Contains(value[0], StringComparison.Ordinal) && !PhoneNumber().IsMatch(value) ? "'" + value : value;

    [System.Text.RegularExpressions.GeneratedRegex(@"^\+[0-9 ()-]+$")]
    private static partial System.Text.RegularExpressions.Regex PhoneNumber();

    private static string Unescape(string value) =>
        value.Length > 1 && value[0] == '\'' && FormulaStarts.Contains(value[1], StringComparison.Ordinal) ? value[1..] : value;

    public void Dispose()
    {
    }
}
