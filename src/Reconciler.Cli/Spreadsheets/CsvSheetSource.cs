using CsvHelper;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>Reads a CSV file with CsvHelper, record by record; the separator (comma, semicolon, tab) is detected.</summary>
internal sealed class CsvSheetSource(string path, string displayName) : ISheetSource
{
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
                cells[i] = reader.GetString(i) is { Length: > 0 } value ? new SheetCell(value, CellKind.Text) : null;
            yield return new SheetRow(checked((int)reader.RowNumber), cells);
        }
    }

    public void Dispose()
    {
    }
}
