namespace Reconciler.Cli.Spreadsheets;

/// <summary>A table being read row by row, and how to name a cell of it in a message.</summary>
internal interface ISheetSource : IDisposable
{
    /// <summary>How messages name the table: <c>agents.xlsx: Sheet "Agents"</c> or <c>agents.csv</c>.</summary>
    string Description { get; }

    /// <summary>The sheet's name for header comments, e.g. <c>agents.xlsx, sheet "Agents"</c>.</summary>
    string Origin { get; }

    /// <summary>Rows in order, streamed; the first is the header.</summary>
    IEnumerable<SheetRow> Rows();

    /// <summary>The sheet's merged cells, known once <see cref="Rows"/> has been read to its end (a worksheet stores them after its cells).</summary>
    IReadOnlyList<MergedCells> Merges { get; }
}
