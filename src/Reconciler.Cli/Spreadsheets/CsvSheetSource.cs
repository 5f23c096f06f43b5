using System.Buffers;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using Reconciler.Core.Manifests;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// Reads a CSV file with CsvHelper, record by record; the separator (comma, semicolon, tab) is detected, and the
/// apostrophe that escapes a formula-like value written by <c>report</c> is removed so such values round-trip. The file
/// and each record are read within <see cref="SheetLimits"/>, and a record within a workbook row's cells.
/// </summary>
internal sealed partial class CsvSheetSource(string path, string displayName) : ISheetSource
{
    /// <summary>First characters that make a spreadsheet run a cell as a formula (OWASP CSV injection); such values are written after an apostrophe.</summary>
    public const string FormulaStarts = "=@+-\t\r";

    // Empty lines are kept so that record numbers are the row numbers a spreadsheet shows for the file.
    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        HasHeader = false,
        SkipEmptyLines = false,
        IncludeValuesInExceptions = false,
        MaxRecordSize = SheetLimits.MaxCsvRecordBytes,
    };

    public string Description { get; } = displayName;

    public string Origin { get; } = displayName;

    public IReadOnlyList<MergedCells> Merges => [];

    public IEnumerable<SheetRow> Rows()
    {
        // Read whole within the limit rather than checked by its reported length: a pipe or /proc file reports none.
        var bytes = BoundedFile.ReadAllBytes(path, SheetLimits.MaxCsvBytes)
            ?? throw new InvalidDataException($"{Description}: the file is larger than {SheetLimits.MaxCsvBytes:N0} bytes, more than import reads");
        CheckText(bytes);
        using var reader = CsvReader.Create(new MemoryStream(bytes, writable: false), Options);
        while (Read(reader))
        {
            // As a workbook's row: a line of a million commas would otherwise be a million cells, each reported.
            if (reader.FieldCount > CellAddress.MaxColumns)
                throw new InvalidDataException($"{Description} row {reader.RowNumber}: more than {CellAddress.MaxColumns:N0} cells, the most a row can have");
            var cells = new SheetCell?[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
                cells[i] = reader.GetString(i) is { Length: > 0 } value ? Cell(Unescape(value)) : null;
            yield return new SheetRow(checked((int)reader.RowNumber), cells);
        }
    }

    /// <summary>
    /// Refuses bytes that are not text in an encoding the file names: without a byte order mark the file must be UTF-8.
    /// Excel's plain "CSV (Comma delimited)" is written in the system's code page (Windows-1252 in the Americas and
    /// Western Europe), whose accented letters are not UTF-8 and would be read as U+FFFD and written into the manifests;
    /// which code page it was cannot be told from the bytes. A workbook given the .csv extension is named as one.
    /// </summary>
    private void CheckText(byte[] bytes)
    {
        ReadOnlySpan<byte> zip = [0x50, 0x4B, 0x03, 0x04];
        ReadOnlySpan<byte> compound = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if (bytes.AsSpan().StartsWith(zip))
            throw new InvalidDataException($"{Description}: the file is a zip archive (an .xlsx workbook?), not CSV text; give a workbook the .xlsx extension");
        if (bytes.AsSpan().StartsWith(compound))
            throw new InvalidDataException($"{Description}: the file is an Excel 97-2003 workbook (.xls), not CSV text; save it as .xlsx or as CSV UTF-8");

        // UTF-16 in either order (Excel's "Unicode Text") is told by its byte order mark, which the reader detects.
        if (bytes.AsSpan().StartsWith(Encoding.Unicode.Preamble) || bytes.AsSpan().StartsWith(Encoding.BigEndianUnicode.Preamble))
            return;

        // A NUL byte is UTF-8, but no CSV text holds one: the file is UTF-16 without its byte order mark (every other
        // byte a NUL, read into the cells as a character), or not text at all.
        var nul = bytes.AsSpan().IndexOf((byte)0);
        if (nul < 0 && Utf8.IsValid(bytes))
            return;
        var at = 0;
        while (at != nul && Rune.DecodeFromUtf8(bytes.AsSpan(at), out _, out var used) == OperationStatus.Done)
            at += used;
        var line = bytes.AsSpan(0, at).Count((byte)'\n') + 1;
        var what = at == nul ? $"holds a NUL byte (on line {line}), as UTF-16 without a byte order mark does" : $"is not UTF-8 (byte 0x{bytes[at]:X2} on line {line})";
        throw new InvalidDataException($"{Description} {CellOf(bytes.AsSpan(0, at))}: the text {what}; save the file as CSV UTF-8 (in Excel: \"CSV UTF-8 (Comma delimited)\"), or as .xlsx");
    }

    /// <summary>
    /// The cell a byte is in, given the text before it: that text read as CSV up to a stand-in for the byte. A row is a
    /// line only until a quoted cell holds a line break.
    /// </summary>
    private static string CellOf(ReadOnlySpan<byte> before)
    {
        var text = new byte[before.Length + 1];
        before.CopyTo(text);
        text[^1] = (byte)'x';
        using var reader = CsvReader.Create(new MemoryStream(text, writable: false), Options);
        var (row, fields) = (1L, 1);
        try
        {
            while (reader.Read())
                (row, fields) = (reader.RowNumber, reader.FieldCount);
        }
        catch (CsvFormatException)
        {
            // A record past the limit before the byte: the last record read still names the row.
        }

        return CellAddress.Of(Math.Max(0, fields - 1), checked((int)row));
    }

    private bool Read(CsvReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"{Description} row {reader.RowNumber + 1}: the record is longer than {SheetLimits.MaxCsvRecordBytes:N0} bytes, more than import reads; is a quote left open? ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    private static SheetCell Cell(string value) => value.Length > SheetLimits.MaxCellCharacters
        ? SheetCell.TooLong
        : new(value, CellKind.Text);

    /// <summary>
    /// The value as written to CSV: after an apostrophe when it starts like a formula. A phone number such as
    /// +5511987650001 is left as it is: a spreadsheet reads it as a number, runs nothing, and other readers keep it.
    /// </summary>
    public static string Escape(string value) =>
        (value.Length > 0 && FormulaStarts.Contains(value[0], StringComparison.Ordinal) && !PhoneNumber().IsMatch(value)) || IsEscaped(value) ? "'" + value : value;

    [System.Text.RegularExpressions.GeneratedRegex(@"^\+[0-9 ()-]+$")]
    private static partial System.Text.RegularExpressions.Regex PhoneNumber();

    // A value that itself starts with an apostrophe before a formula start (or another apostrophe) is escaped too, so that it reads back whole.
    private static string Unescape(string value) => IsEscaped(value) ? value[1..] : value;

    private static bool IsEscaped(string value) =>
        value.Length > 1 && value[0] == '\'' && (value[1] == '\'' || FormulaStarts.Contains(value[1], StringComparison.Ordinal));

    public void Dispose()
    {
    }
}
