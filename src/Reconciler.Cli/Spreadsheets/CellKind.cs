namespace Reconciler.Cli.Spreadsheets;

/// <summary>How a spreadsheet typed a cell; CSV cells are all text.</summary>
internal enum CellKind
{
    Text,
    Number,
    Boolean,
    Error,

    /// <summary>A cell whose value cannot be read; its text says why, and is reported when its column is imported.</summary>
    Unreadable,
}
