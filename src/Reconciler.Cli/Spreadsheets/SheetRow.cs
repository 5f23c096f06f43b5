namespace Reconciler.Cli.Spreadsheets;

/// <summary>One row of a sheet: its 1-based number and its cells by 0-based column index (null where empty).</summary>
internal sealed record SheetRow(int Number, IReadOnlyList<SheetCell?> Cells)
{
    public SheetCell? this[int column] => column < Cells.Count ? Cells[column] : null;

    public bool IsEmpty => Cells.All(c => c is null || string.IsNullOrWhiteSpace(c.Text));
}
