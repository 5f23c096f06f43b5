namespace Reconciler.Cli.Spreadsheets;

/// <summary>How a spreadsheet typed a cell; CSV cells are all text.</summary>
internal enum CellKind
{
    Text,
    Number,
    Boolean,
    Error,

    /// <summary>A number cell whose format shows it as a date or time; its text is the date, as ISO 8601.</summary>
    Date,

    /// <summary>A cell whose value cannot be read; its text says why, and is reported when its column is imported.</summary>
    Unreadable,
}
