using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// Reads one worksheet of an .xlsx file with the SAX-style <see cref="OpenXmlReader"/>, one row element at a time,
/// so a large sheet is never held whole; only the shared-string table is loaded.
/// </summary>
internal sealed class XlsxSheetSource : ISheetSource
{
    private readonly SpreadsheetDocument document;
    private readonly WorksheetPart worksheet;
    private readonly List<string> sharedStrings = [];

    private XlsxSheetSource(SpreadsheetDocument document, WorksheetPart worksheet, string displayName, string sheetName)
    {
        this.document = document;
        this.worksheet = worksheet;
        Description = $"{displayName}: Sheet \"{sheetName}\"";
        Origin = $"{displayName}, sheet \"{sheetName}\"";
        SheetName = sheetName;
    }

    public string Description { get; }

    public string Origin { get; }

    public string SheetName { get; }

    /// <summary>
    /// Opens <paramref name="path"/> and picks the sheet named <paramref name="sheet"/>, else one named "Agents", else
    /// the first; a file that is not a workbook is an <see cref="InvalidDataException"/> with a plain message.
    /// </summary>
    public static XlsxSheetSource Open(string path, string displayName, string? sheet)
    {
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(path, isEditable: false, new OpenSettings { AutoSave = false });
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or FormatException or System.Xml.XmlException)
        {
            throw new InvalidDataException($"{displayName}: not an .xlsx workbook ({e.Message})", e);
        }

        try
        {
            var workbook = document.WorkbookPart ?? throw new InvalidDataException($"{displayName}: the workbook has no sheets");
            var sheets = workbook.Workbook.Sheets?.Elements<Sheet>().ToList() ?? [];
            var chosen = sheet is not null
                ? sheets.FirstOrDefault(s => string.Equals(s.Name?.Value, sheet, StringComparison.OrdinalIgnoreCase))
                    ?? throw new InvalidDataException($"{displayName}: no sheet named \"{sheet}\" (sheets: {string.Join(", ", sheets.Select(s => s.Name?.Value))})")
                : sheets.FirstOrDefault(s => string.Equals(s.Name?.Value, AgentColumns.SheetName, StringComparison.OrdinalIgnoreCase)) ?? sheets.FirstOrDefault();
            if (chosen?.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
                throw new InvalidDataException($"{displayName}: the workbook has no worksheet");
            var source = new XlsxSheetSource(document, part, displayName, chosen.Name?.Value ?? "Sheet1");
            source.LoadSharedStrings(workbook.SharedStringTablePart);
            return source;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private void LoadSharedStrings(SharedStringTablePart? part)
    {
        if (part is null)
            return;
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
                sharedStrings.Add(TextOf((SharedStringItem)reader.LoadCurrentElement()!));
        }
    }

    // Rich text is a list of runs; phonetic hints (rPh) are not part of the value.
    private static string TextOf(OpenXmlElement item) =>
        item.GetFirstChild<Text>()?.Text ?? string.Concat(item.Elements<Run>().Select(r => r.Text?.Text));

    public IEnumerable<SheetRow> Rows()
    {
        using var reader = OpenXmlReader.Create(worksheet);
        var expected = 1;
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
                continue;
            var row = (Row)reader.LoadCurrentElement()!;
            var number = row.RowIndex?.Value is { } index ? (int)index : expected;
            expected = number + 1;
            var cells = new List<SheetCell?>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = cell.CellReference?.Value is { } reference ? CellAddress.ColumnOf(reference) : cells.Count;
                if (column < 0)
                    column = cells.Count;
                while (cells.Count <= column)
                    cells.Add(null);
                cells[column] = Read(cell);
            }

            yield return new SheetRow(number, cells);
        }
    }

    private SheetCell? Read(Cell cell)
    {
        var raw = cell.CellValue?.Text;
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString)
            return cell.InlineString is { } inline ? Text(TextOf(inline)) : null;
        if (raw is null)
            return null;
        if (type == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < sharedStrings.Count
                ? Text(sharedStrings[index])
                : new SheetCell(raw, CellKind.Error);
        }

        if (type == CellValues.Boolean)
            return new SheetCell(raw is "1" or "true" ? "TRUE" : "FALSE", CellKind.Boolean);
        if (type == CellValues.Error)
            return new SheetCell(raw, CellKind.Error);
        if (type == CellValues.String || type == CellValues.Date)
            return Text(raw);
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? new SheetCell(NumberText(number), CellKind.Number)
            : Text(raw);
    }

    private static SheetCell Text(string text) => new(text, CellKind.Text);

    /// <summary>Whole numbers without a decimal point (a count typed as 4 is stored as 4 or 4.0); others round-trip.</summary>
    public static string NumberText(double number) =>
        number == Math.Floor(number) && Math.Abs(number) < 1e15
            ? ((long)number).ToString(CultureInfo.InvariantCulture)
            : number.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => document.Dispose();
}
