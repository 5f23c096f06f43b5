namespace Reconciler.Cli.Spreadsheets;

/// <summary>How a spreadsheet typed a cell; CSV cells are all text.</summary>
internal enum CellKind
{
    Text,
    Number,
    Boolean,
    Error,
}
