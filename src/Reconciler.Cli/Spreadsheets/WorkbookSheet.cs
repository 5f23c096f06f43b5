namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// One worksheet to write: a header row, then rows of typed values (string, long/int/double, bool, DateTimeOffset,
/// null), written as real cell types; optionally a frozen header, drop-down lists and text-formatted columns.
/// </summary>
internal sealed record WorkbookSheet(string Name, IReadOnlyList<string> Headers, IEnumerable<IReadOnlyList<object?>> Rows)
{
    public bool FreezeHeader { get; init; }

    public bool Hidden { get; init; }

    /// <summary>Columns whose cells are formatted as text (so a typed +5511… stays a phone number, not a number).</summary>
    public IReadOnlySet<int> TextColumns { get; init; } = new HashSet<int>();

    public IReadOnlyList<ListValidation> Validations { get; init; } = [];

    /// <summary>Column widths in characters; missing ones are sized from the header.</summary>
    public IReadOnlyList<double> Widths { get; init; } = [];
}
