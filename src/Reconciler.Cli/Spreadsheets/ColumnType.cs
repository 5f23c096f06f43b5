namespace Reconciler.Cli.Spreadsheets;

/// <summary>How a column's cells map to the model.</summary>
internal enum ColumnType
{
    Text,

    /// <summary>A comma-separated list.</summary>
    List,
    Integer,
    Boolean,
    Date,
}
