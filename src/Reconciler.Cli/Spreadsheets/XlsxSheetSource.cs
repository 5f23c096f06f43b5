using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// Reads one worksheet of an .xlsx file with the SAX-style <see cref="OpenXmlReader"/>, one cell element at a time,
/// so that neither a large sheet nor a hostile row is ever held whole; only the shared-string table is loaded. Every
/// part is read within <see cref="SheetLimits"/>.
/// </summary>
internal sealed partial class XlsxSheetSource : ISheetSource
{
    // Bytes of text in UTF-8 or a single-byte code page: all but the control characters other than tab and line ends.
    private static readonly SearchValues<byte> TextBytes = SearchValues.Create([9, 10, 13, .. Enumerable.Range(32, 224).Select(b => (byte)b)]);

    private readonly SpreadsheetDocument _document;
    private readonly WorksheetPart _worksheet;
    private readonly List<string> _sharedStrings = [];
    private readonly string _displayName;
    private readonly List<MergedCells> _merges = [];

    // By cell format (the s attribute's index into cellXfs): whether its number format shows a date or time.
    private bool[] _dateStyles = [];
    private bool _date1904;

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
    /// the first visible one; a file that is not a workbook, or whose parts are damaged, is an <see cref="InvalidDataException"/>
    /// with a plain message, here or later while <see cref="Rows"/> is read.
    /// </summary>
    public static XlsxSheetSource Open(string path, string displayName, string? sheet)
    {
        CheckPackageParts(path, displayName);
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(path, isEditable: false, new OpenSettings { AutoSave = false, MaxCharactersInPart = SheetLimits.MaxPartCharacters });
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Unreadable(displayName, e);
        }

        try
        {
            var workbook = Guard(displayName, () => document.WorkbookPart) ?? throw new InvalidDataException($"{displayName}: not a readable workbook (the package has no workbook part)");
            var (sheets, date1904) = Guard(displayName, () => ReadWorkbook(workbook));

            // An external relationship or one to a missing part is no part at all, rather than an exception.
            OpenXmlPart? PartOf(string? id) => id is null ? null : Guard(displayName, () => workbook.TryGetPartById(id, out var found) ? found : null);
            var chosen = sheet is not null
                ? sheets.FirstOrDefault(s => string.Equals(s.Name, sheet, StringComparison.OrdinalIgnoreCase))
                : sheets.FirstOrDefault(s => string.Equals(s.Name, AgentColumns.SheetName, StringComparison.OrdinalIgnoreCase));
            if (chosen == default && sheet is not null)
                throw new InvalidDataException($"{displayName}: no sheet named \"{sheet}\" (sheets: {string.Join(", ", sheets.Select(s => s.Name))})");

            // The first worksheet the user sees: a hidden one (lists a drop-down reads, settings) is not what they filled
            // in, and a chart sheet before it has no cells.
            if (chosen == default)
                chosen = sheets.Where(s => s.Visible).Concat(sheets.Where(s => !s.Visible)).FirstOrDefault(s => PartOf(s.Id) is WorksheetPart, sheets.FirstOrDefault());
            if (chosen == default)
                throw new InvalidDataException($"{displayName}: the workbook has no worksheet");
            var found = PartOf(chosen.Id);
            if (found is not WorksheetPart part)
            {
                throw new InvalidDataException(found is ChartsheetPart
                    ? $"{displayName}: sheet \"{chosen.Name}\" is a chart sheet, not a worksheet of cells"
                    : $"{displayName}: sheet \"{chosen.Name}\" has no worksheet in the file");
            }

            var source = new XlsxSheetSource(document, part, displayName, chosen.Name ?? "Sheet1");
            Guard(displayName, () => source.LoadSharedStrings(workbook.SharedStringTablePart));
            Guard(displayName, () => source.LoadDateStyles(workbook, date1904));
            return source;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses a package of more than <see cref="SheetLimits.MaxPackageParts"/> parts (each is indexed when the package is
    /// opened: 400,000 empty ones, 40 MB, took 11 s and 590 MB), or whose content types or relationship parts are larger
    /// than <see cref="SheetLimits.MaxPackagePartBytes"/>: System.IO.Packaging reads those whole when the package is
    /// opened, with no limit of its own (a 100 MB attribute in a .rels part, 100 KB zipped, took 3 GB and 20 s before it
    /// failed). A zip entry decompresses to no more than the length it declares, so the declared lengths bound what is read.
    /// </summary>
    private static void CheckPackageParts(string path, string displayName)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw NotAZip(path, displayName) ?? Unreadable(displayName, e);
        }

        using (zip)
        {
            if (zip.Entries.Count > SheetLimits.MaxPackageParts)
                throw new InvalidDataException($"{displayName}: the workbook has {zip.Entries.Count:N0} parts, more than the {SheetLimits.MaxPackageParts:N0} import reads");
            var part = zip.Entries.FirstOrDefault(e => e.Length > SheetLimits.MaxPackagePartBytes
                && (e.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase) || e.FullName.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase)));
            if (part is not null)
                throw new InvalidDataException($"{displayName}: the workbook's part {(part.FullName.Length <= 100 ? part.FullName : part.FullName[..100] + "…")} is {part.Length:N0} bytes, more than the {SheetLimits.MaxPackagePartBytes:N0} import reads");
        }
    }

    /// <summary>What a file that is no zip at all is, by its first bytes: the zip reader's own message names only a zip's structures.</summary>
    private static InvalidDataException? NotAZip(string path, string displayName)
    {
        var start = new byte[512];
        int read;
        using (var file = File.OpenRead(path))
            read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        var head = start.AsSpan(0, read);
        ReadOnlySpan<byte> compound = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if (read == 0)
            return new($"{displayName}: not a readable workbook (the file is empty)");
        if (head.StartsWith(compound))
            return new($"{displayName}: not a readable workbook (it is an Excel 97-2003 .xls file; save it as .xlsx)");
        var text = !head.StartsWith("PK"u8) && !head.ContainsAnyExcept(TextBytes);
        return text ? new($"{displayName}: not a readable workbook (the file is text, not a zip package: a CSV file? give it the .csv extension)") : null;
    }

    // The SDK parses parts lazily, so a truncated, malformed or oversized part surfaces as any of these, at any read.
    private static bool IsDamage(Exception e) =>
        e is OpenXmlPackageException or InvalidDataException or FormatException or XmlException or IOException
            or InvalidOperationException or ArgumentException or OverflowException or KeyNotFoundException;

    // XmlReader tells its character limit and a refused DTD from other damage only by the message, which names the
    // setting; the DTD message goes on to advise a programmer to enable DTD processing, which is no advice for a user.
    private static InvalidDataException Unreadable(string displayName, Exception e) =>
        e is XmlException && e.Message.Contains(nameof(XmlReaderSettings.MaxCharactersInDocument), StringComparison.Ordinal)
            ? new($"{displayName}: a part of the workbook is longer than {SheetLimits.MaxPartCharacters:N0} characters, more than import reads", e)
            : e is XmlException && e.Message.Contains(nameof(XmlReaderSettings.DtdProcessing), StringComparison.Ordinal)
                ? new($"{displayName}: not a readable workbook (a part declares a DTD, which a workbook never does; entities and external references are not read)", e)
                : new($"{displayName}: not a readable workbook ({e.Message.ReplaceLineEndings(" ")})", e);

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
        catch (RefusedException e)
        {
            throw new InvalidDataException(e.Message);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Unreadable(displayName, e);
        }
    }

    /// <summary>
    /// The workbook part's sheets (name, relationship id, whether visible) and date system, streamed as the other parts
    /// are: the SDK builds a part's tree recursively, so a workbook.xml of elements nested 200,000 deep (a few hundred
    /// bytes zipped) overflowed the stack, which ends the process with no error a catch can turn into a message.
    /// </summary>
    private static (List<(string? Name, string? Id, bool Visible)> Sheets, bool Date1904) ReadWorkbook(WorkbookPart workbook)
    {
        var sheets = new List<(string? Name, string? Id, bool Visible)>();
        var date1904 = false;
        var sheetDepth = -1;
        using var reader = OpenXmlReader.Create(workbook);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(Sheets))
                sheetDepth = reader.IsStartElement ? reader.Depth + 1 : -1;
            else if (reader.ElementType == typeof(Sheet) && reader.IsStartElement && reader.Depth == sheetDepth)
                sheets.Add((Attribute(reader, "name"), RelationshipId(reader), Attribute(reader, "state") is null or "visible"));
            else if (reader.ElementType == typeof(WorkbookProperties) && reader.IsStartElement)
                date1904 = Attribute(reader, "date1904") is "1" or "true";
        }

        return (sheets, date1904);
    }

    // r:id, in the relationships namespace of transitional or of strict OOXML.
    private static string? RelationshipId(OpenXmlReader reader) =>
        reader.Attributes.FirstOrDefault(a => a.LocalName == "id" && a.NamespaceUri is "http://schemas.openxmlformats.org/officeDocument/2006/relationships" or "http://purl.oclc.org/ooxml/officeDocument/relationships").Value;

    private void LoadSharedStrings(SharedStringTablePart? part)
    {
        if (part is null)
            return;
        using var reader = OpenXmlReader.Create(part);
        var characters = 0L;
        while (reader.Read())
        {
            if (reader.ElementType != typeof(SharedStringItem) || !reader.IsStartElement)
                continue;
            if (_sharedStrings.Count == SheetLimits.MaxSharedStrings)
                throw new RefusedException($"{_displayName}: the workbook has more than {SheetLimits.MaxSharedStrings:N0} shared strings, more than import reads");
            var text = ReadText(reader, SheetLimits.MaxSharedStringCharacters - characters)
                ?? throw new RefusedException($"{_displayName}: the workbook's shared strings hold more than {SheetLimits.MaxSharedStringCharacters:N0} characters, more than import reads");
            characters += text.Length;
            _sharedStrings.Add(text);
        }
    }

    /// <summary>
    /// Which cell formats show a date: a spreadsheet stores a date as a number of days, told from a number only by the
    /// cell's number format (ECMA-376 §18.8.30: built-in formats 14–22 and 45–47, and 27–36 and 50–58 in East Asian
    /// locales; else a custom format code with a day, month, year, hour or second placeholder), counted from 1900 or,
    /// with <c>date1904</c>, from 1904. The styles part is streamed, as the sheet is.
    /// </summary>
    private void LoadDateStyles(WorkbookPart workbook, bool date1904)
    {
        _date1904 = date1904;
        if (workbook.WorkbookStylesPart is not { } part)
            return;
        var custom = new Dictionary<uint, string>();
        var formats = new List<uint>();
        var cellFormatDepth = -1;
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            // Only cellXfs holds the formats cells refer to; cellStyleXfs holds xf elements too.
            if (reader.ElementType == typeof(CellFormats))
                cellFormatDepth = reader.IsStartElement ? reader.Depth + 1 : -1;
            else if (reader.ElementType == typeof(NumberingFormat) && reader.IsStartElement && uint.TryParse(Attribute(reader, "numFmtId"), CultureInfo.InvariantCulture, out var id))
                custom[id] = Attribute(reader, "formatCode") ?? "";
            else if (reader.ElementType == typeof(CellFormat) && reader.IsStartElement && reader.Depth == cellFormatDepth)
                formats.Add(uint.TryParse(Attribute(reader, "numFmtId"), CultureInfo.InvariantCulture, out var format) ? format : 0);
        }

        _dateStyles = [.. formats.Select(f => custom.TryGetValue(f, out var code) ? IsDateFormat(code) : f is (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58))];
    }

    /// <summary>Whether a format code shows a date or time: d, m, y, h or s outside quoted text, escapes, fills, paddings and [colours] of its first section.</summary>
    private static bool IsDateFormat(string code) =>
        FormatLiterals().Replace(code.Split(';')[0], "").AsSpan().IndexOfAny("dmyhsDMYHS") >= 0;

    [GeneratedRegex("\"[^\"]*\"|\\\\.|_.|\\*.|\\[[^\\]]*\\]")]
    private static partial Regex FormatLiterals();

    /// <summary>
    /// The text of the string item (<c>si</c> or <c>is</c>) the reader is on: its <c>t</c>, or those of its rich-text
    /// runs (phonetic hints, <c>rPh</c>, are not part of the value); null once it is longer than <paramref name="limit"/>.
    /// The reader is left on the item's end.
    /// </summary>
    private static string? ReadText(OpenXmlReader reader, long limit)
    {
        var depth = reader.Depth;
        var text = new StringBuilder();
        var inRun = false;
        while (reader.Read() && reader.Depth > depth)
        {
            if (!reader.IsStartElement)
                continue;
            if (reader.Depth == depth + 1)
                inRun = reader.ElementType == typeof(Run);
            if (reader.ElementType == typeof(Text) && (reader.Depth == depth + 1 || (inRun && reader.Depth == depth + 2)))
            {
                text.Append(reader.GetText());
                if (text.Length > limit)
                    return null;
            }
        }

        return XlsxText.Unescape(text.ToString());
    }

    public IReadOnlyList<MergedCells> Merges => _merges;

    public IEnumerable<SheetRow> Rows()
    {
        using var reader = Guard(() => OpenXmlReader.Create(_worksheet));
        var previous = 0;
        while (Guard(reader.Read))
        {
            if (reader.ElementType == typeof(MergeCell) && reader.IsStartElement && MergedCells.Parse(Attribute(reader, "ref")) is { } merged)
            {
                if (_merges.Count == SheetLimits.MaxMergedRanges)
                    throw new InvalidDataException($"{Description}: more than {SheetLimits.MaxMergedRanges:N0} ranges of merged cells, more than import reads");
                _merges.Add(merged);
            }

            if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
                continue;
            var row = Guard(() => ReadRow(reader, previous));
            previous = row.Number;
            yield return row;
        }
    }

    /// <summary>The row the reader is on, cell by cell: a row of millions of cells is refused at the limit, never built.</summary>
    private SheetRow ReadRow(OpenXmlReader reader, int previous)
    {
        var number = RowNumber(Attribute(reader, "r"), previous);
        var depth = reader.Depth;
        var cells = new List<SheetCell?>();
        var count = 0;
        while (reader.Read() && reader.Depth > depth)
        {
            if (reader.ElementType != typeof(Cell) || !reader.IsStartElement || reader.Depth != depth + 1)
                continue;
            if (++count > CellAddress.MaxColumns)
                throw new RefusedException($"{Description} row {number}: more than {CellAddress.MaxColumns:N0} cells, the most a row can have");
            var reference = Attribute(reader, "r");
            var column = reference is null ? -1 : CellAddress.ColumnOf(reference);
            if (column < 0)
                column = cells.Count;
            if (column >= CellAddress.MaxColumns)
                throw new RefusedException($"{Description} cell {Shorten(reference ?? CellAddress.Of(column, number))}: column beyond {CellAddress.Column(CellAddress.MaxColumns - 1)}, the last a workbook can have");
            // A spreadsheet shows a cell where its reference says, so one naming another row would be imported into a
            // row the reviewer never saw it in.
            if (reference is not null && CellAddress.RowOf(reference) is { } named && named != number)
                throw new RefusedException($"{Description} cell {Shorten(reference)}: it is in row {number}; a cell's reference names the row it is in");
            var value = ReadCell(reader);
            while (cells.Count <= column)
                cells.Add(null);
            cells[column] = value;
        }

        return new SheetRow(number, cells);
    }

    /// <summary>The row's number: as given (in ascending order, as a workbook stores them), else the one after the previous.</summary>
    private int RowNumber(string? given, int previous)
    {
        if (given is null)
        {
            return previous < CellAddress.MaxRows
                ? previous + 1
                : throw new RefusedException($"{Description}: row {previous + 1} is beyond row {CellAddress.MaxRows}, the last a workbook can have");
        }

        var digits = given.TrimStart('0');
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            throw new RefusedException($"{Description}: row \"{Shorten(given)}\" (after row {previous}) is not a row number; rows are numbered 1 to {CellAddress.MaxRows}");
        if (digits.Length > 7 || int.Parse(digits, CultureInfo.InvariantCulture) is var number && number > CellAddress.MaxRows)
            throw new RefusedException($"{Description}: row {Shorten(digits)} is beyond row {CellAddress.MaxRows}, the last a workbook can have");
        if (number == previous)
            throw new RefusedException($"{Description} row {number}: the row is in the file twice");
        return number > previous
            ? number
            : throw new RefusedException($"{Description} row {number}: comes after row {previous}; a workbook stores its rows in ascending order");
    }

    private static string? Attribute(OpenXmlReader reader, string name) =>
        reader.Attributes.FirstOrDefault(a => a.LocalName == name && string.IsNullOrEmpty(a.NamespaceUri)).Value;

    private static string Shorten(string reference) => reference.Length <= 20 ? reference : reference[..20] + "…";

    /// <summary>The cell the reader is on; the reader is left on its end.</summary>
    private SheetCell? ReadCell(OpenXmlReader reader)
    {
        var type = Attribute(reader, "t");
        var style = Attribute(reader, "s");
        var depth = reader.Depth;
        string? raw = null;
        string? inline = null;
        var tooLong = false;
        var formula = false;
        while (reader.Read() && reader.Depth > depth)
        {
            if (!reader.IsStartElement || reader.Depth != depth + 1)
                continue;
            if (reader.ElementType == typeof(CellValue))
                raw = reader.GetText();
            else if (reader.ElementType == typeof(CellFormula))
                formula = true;
            else if (reader.ElementType == typeof(InlineString))
            {
                inline = ReadText(reader, SheetLimits.MaxEscapedCellCharacters);
                tooLong = inline is null || inline.Length > SheetLimits.MaxCellCharacters;
            }
        }

        if (tooLong || raw?.Length > SheetLimits.MaxCellCharacters)
            return SheetCell.TooLong;
        if (type == "inlineStr")
            return inline is null ? null : Text(inline);

        // Without its computed value (openpyxl writes an empty <v/>; only a text result can be empty) the cell would
        // read as empty, and an empty cell removes the field.
        if (formula && (raw is null || (raw.Length == 0 && type != "str")))
            return new SheetCell("holds a formula without a computed value; open and save the file in a spreadsheet program, or type the value", CellKind.Unreadable);
        if (raw is null)
            return null;
        return type switch
        {
            "s" => SharedString(raw),
            "b" => Boolean(raw),
            "e" => new SheetCell(raw, CellKind.Error),
            "str" => Text(raw),
            "d" => IsoDate(raw),
            _ => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? IsDate(style) ? Date(number) : new SheetCell(NumberText(number), CellKind.Number)
                : Text(raw),
        };
    }

    /// <summary>
    /// A boolean cell: OOXML stores TRUE as 1 and FALSE as 0 (ECMA-376 §18.18.11, ST_CellType "b"). Any other value was
    /// written by a tool that meant something the format does not say (2, -1, TRUE, an empty value), which no reader
    /// can be sure of: it is refused on its cell rather than guessed, since an Active cell read as FALSE deactivates
    /// the agent.
    /// </summary>
    private static SheetCell Boolean(string raw) => raw switch
    {
        "1" => new SheetCell("TRUE", CellKind.Boolean),
        "0" => new SheetCell("FALSE", CellKind.Boolean),
        _ => new SheetCell($"a boolean cell holds \"{Shorten(raw)}\"; expected 0 or 1", CellKind.Unreadable),
    };

    private SheetCell SharedString(string raw)
    {
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < 0 || index >= _sharedStrings.Count)
            return new SheetCell($"shared string {Shorten(raw)} does not exist (the workbook has {_sharedStrings.Count:N0})", CellKind.Unreadable);
        return _sharedStrings[index].Length > SheetLimits.MaxCellCharacters ? SheetCell.TooLong : Text(_sharedStrings[index]);
    }

    private static SheetCell Text(string text) => new(text, CellKind.Text);

    private bool IsDate(string? style) =>
        uint.TryParse(style, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < _dateStyles.Length && _dateStyles[index];

    /// <summary>A date cell as the date it shows (the time too, when it has one); a serial beyond the calendar stays a number.</summary>
    private SheetCell Date(double serial)
    {
        var days = _date1904 ? serial + 1462 : serial;
        return !double.IsFinite(days) || days is < -657435 or >= 2958466 ? new SheetCell(NumberText(serial), CellKind.Number) : DateCell(DateTime.FromOADate(days));
    }

    /// <summary>A cell of type <c>d</c>, which holds its date as ISO 8601 text (ECMA-376 §18.18.11; openpyxl's iso_dates, Strict files).</summary>
    private static SheetCell IsoDate(string raw) =>
        // In UTC and without asking the clock: a time alone is not today's date, and the machine's zone changes nothing.
        DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.NoCurrentDateDefault | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? DateCell(date)
            : new SheetCell(raw, CellKind.Date);

    private static SheetCell DateCell(DateTime date) =>
        new(date.ToString(date.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), CellKind.Date);

    /// <summary>Whole numbers without a decimal point (a count typed as 4 is stored as 4 or 4.0); others round-trip.</summary>
    public static string NumberText(double number) =>
        number == Math.Floor(number) && Math.Abs(number) < 1e15
            ? ((long)number).ToString(CultureInfo.InvariantCulture)
            : number.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _document.Dispose();

    /// <summary>A problem of the file, already worded for the user, that <see cref="Guard{T}(Func{T})"/> passes on as it is.</summary>
    private sealed class RefusedException(string message) : Exception(message);
}
