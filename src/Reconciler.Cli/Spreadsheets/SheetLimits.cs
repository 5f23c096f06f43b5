namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// Bounds on what <c>import</c> reads. A small hostile file (a zip bomb, a row of millions of cells, an unclosed quote)
/// must end in a plain error in bounded time and memory, not exhaust the machine; a real sheet is far below each bound.
/// </summary>
internal static class SheetLimits
{
    /// <summary>
    /// Characters of one XML part of a workbook once decompressed. A report row of 18 inline-string columns is about
    /// 1,800 characters, so this holds some 35,000 such rows (many more in files saved by Excel, which shares strings),
    /// above the 20,000 rows import is sized for; the XML reader may hold one text node of this size.
    /// </summary>
    public const long MaxPartCharacters = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes of a package's content types or one relationship part, which the packaging layer reads whole with no limit
    /// of its own. A relationship is about 180 bytes, so this holds some 45,000: a sheet whose every e-mail a
    /// spreadsheet turned into a mailto link, at more rows than import is sized for.
    /// </summary>
    public const long MaxPackagePartBytes = 8L * 1024 * 1024;

    /// <summary>Parts (zip entries) of a workbook: a few per sheet, image or pivot table, so far more than any real workbook has.</summary>
    public const int MaxPackageParts = 10_000;

    /// <summary>Bytes of a CSV file: the workbook's bound, which in the denser CSV is more rows than a workbook holds.</summary>
    public const long MaxCsvBytes = MaxPartCharacters;

    /// <summary>Bytes of one CSV record, so that an unclosed quote cannot make the reader buffer the whole file as one field.</summary>
    public const int MaxCsvRecordBytes = 4 * 1024 * 1024;

    /// <summary>Entries of a workbook's shared-string table, which is held whole: one per distinct text of over 75,000 full rows.</summary>
    public const int MaxSharedStrings = 1_048_576;

    /// <summary>Characters of all shared strings together.</summary>
    public const long MaxSharedStringCharacters = 32L * 1024 * 1024;

    /// <summary>
    /// Agent rows (besides the header) of one import: each is validated as a manifest together with the folder, at about
    /// 20 KB and 1.5 ms a row. More than twice the 20,000 rows import is sized for, and more than the part bound holds
    /// of the report's own rows.
    /// </summary>
    public const int MaxRows = 50_000;

    /// <summary>Ranges of merged cells in the sheet, kept until its rows are read: a real sheet merges a title or a few groups.</summary>
    public const int MaxMergedRanges = 10_000;

    /// <summary>Characters of one cell, as in Excel.</summary>
    public const int MaxCellCharacters = 32_767;

    /// <summary>
    /// Characters of one cell's text as written, before its escapes are decoded: Excel's limit is on the text, and each of
    /// its characters may be written as the seven of <c>_xHHHH_</c> (a carriage return, a control character).
    /// </summary>
    public const int MaxEscapedCellCharacters = 7 * MaxCellCharacters;
}
