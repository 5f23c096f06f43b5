using System.Globalization;
using System.Xml;
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
    private readonly SpreadsheetDocument _document;
    private readonly WorksheetPart _worksheet;
    private readonly List<string> _sharedStrings = [];
    private readonly string _displayName;

    private XlsxSheetSource(SpreadsheetDocument document, WorksheetPart worksheet, string displayName, string sheetName)
    {
        _document = document;
        _worksheet = worksheet;
        _displayName = displayName;
        Description = $"{displayName}: Sheet \"{sheetName}\"";
        Origin = $"{displayName}, sheet \"{sheetName}\"";
        SheetName = sheetName;
    }

    public string Description { get; }

    public string Origin { get; }

    public string SheetName { get; }

    /// <summary>
    /// Opens <paramref name="path"/> and picks the sheet named <paramref name="sheet"/>, else one named "Agents", else
    /// the first; a file that is not a workbook, or whose parts are damaged, is an <see cref="InvalidDataException"/>
    /// with a plain message, here or later while <see cref="Rows"/> is read.
    /// </summary>
    public static XlsxSheetSource Open(string path, string displayName, string? sheet)
    {
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(path, isEditable: false, new OpenSettings { AutoSave = false });
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Unreadable(displayName, e);
        }

        try
        {
            var workbook = Guard(displayName, () => document.WorkbookPart) ?? throw new InvalidDataException($"{displayName}: not a readable workbook (the package has no workbook part)");
            var sheets = Guard(displayName, () => workbook.Workbook.Sheets?.Elements<Sheet>().Select(s => (Name: s.Name?.Value, Id: s.Id?.Value)).ToList()) ?? [];
            var chosen = sheet is not null
                ? sheets.FirstOrDefault(s => string.Equals(s.Name, sheet, StringComparison.OrdinalIgnoreCase))
                : sheets.FirstOrDefault(s => string.Equals(s.Name, AgentColumns.SheetName, StringComparison.OrdinalIgnoreCase));
            if (chosen == default && sheet is not null)
                throw new InvalidDataException($"{displayName}: no sheet named \"{sheet}\" (sheets: {string.Join(", ", sheets.Select(s => s.Name))})");
            if (chosen == default)
                chosen = sheets.FirstOrDefault();
            if (chosen.Id is not { } id || Guard(displayName, () => workbook.GetPartById(id)) is not WorksheetPart part)
                throw new InvalidDataException($"{displayName}: the workbook has no worksheet");
            var source = new XlsxSheetSource(document, part, displayName, chosen.Name ?? "Sheet1");
            Guard(displayName, () => source.LoadSharedStrings(workbook.SharedStringTablePart));
            return source;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    // The SDK parses parts lazily, so a truncated or malformed part surfaces as any of these, at any read.
    private static bool IsDamage(Exception e) =>
        e is OpenXmlPackageException or InvalidDataException or FormatException or XmlException or IOException;

    private static InvalidDataException Unreadable(string displayName, Exception e) =>
        new($"{displayName}: not a readable workbook ({e.Message.ReplaceLineEndings(" ")})", e);

    private T Guard<T>(Func<T> read) => Guard(_displayName, read);

    private static void Guard(string displayName, Action read) => Guard(displayName, () =>
    {
        read();
        return true;
    });

    private static T Guard<T>(string displayName, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Unreadable(displayName, e);
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
                _sharedStrings.Add(TextOf((SharedStringItem)reader.LoadCurrentElement()!));
        }
    }

    // Rich text is a list of runs; phonetic hints (rPh) are not part of the value.
    private static string TextOf(OpenXmlElement item) =>
        item.GetFirstChild<Text>()?.Text ?? string.Concat(item.Elements<Run>().Select(r => r.Text?.Text));

    public IEnumerable<SheetRow> Rows()
    {
        using var reader = Guard(() => OpenXmlReader.Create(_worksheet));
        var expected = 1;
        while (Guard(reader.Read))
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
                continue;
            var (index, read) = Guard(() => LoadRow(reader));
            if (index is > CellAddress.MaxRows or 0)
                throw new InvalidDataException($"{Description}: row {index} is beyond row {CellAddress.MaxRows}, the last a workbook can have");
            var number = index is { } given ? (int)given : expected;
            expected = number + 1;
            var cells = new List<SheetCell?>();
            foreach (var (reference, value) in read)
            {
                var column = reference is null ? cells.Count : CellAddress.ColumnOf(reference);
                if (column >= CellAddress.MaxColumns)
                    throw new InvalidDataException($"{Description} cell {Shorten(reference!)}: column beyond {CellAddress.Column(CellAddress.MaxColumns - 1)}, the last a workbook can have");
                if (column < 0)
                    column = cells.Count;

                // Bounded by MaxColumns above: a hostile reference cannot make this list huge.
                while (cells.Count <= column)
                    cells.Add(null);
                cells[column] = value;
            }

            yield return new SheetRow(number, cells);
        }
    }

    // Everything the SDK parses lazily is read here, so that damage inside a row is caught by Guard.
    private (uint? Index, List<(string? Reference, SheetCell? Value)> Cells) LoadRow(OpenXmlReader reader)
    {
        var row = (Row)reader.LoadCurrentElement()!;
        return (row.RowIndex?.Value, row.Elements<Cell>().Select(c => (c.CellReference?.Value, Read(c))).ToList());
    }

    private static string Shorten(string reference) => reference.Length <= 20 ? reference : reference[..20] + "…";

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
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < _sharedStrings.Count
                ? Text(_sharedStrings[index])
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

    public void Dispose() => _document.Dispose();
}
