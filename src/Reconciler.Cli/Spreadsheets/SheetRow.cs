namespace Reconciler.Cli.Spreadsheets;

/// <summary>One row of a sheet: its 1-based number and its cells by 0-based column index (null where empty).</summary>
internal sealed record SheetRow(int Number, IReadOnlyList<SheetCell?> Cells)
{
    public SheetCell? this[int column] => column < Cells.Count ? Cells[column] : null;

    public bool IsEmpty => Enumerable.Range(0, Cells.Count).All(IsBlank);

    /// <summary>Whether the cell is empty or only spaces.</summary>
    public bool IsBlank(int column) => this[column] is not { } cell || string.IsNullOrWhiteSpace(cell.Text);
}
