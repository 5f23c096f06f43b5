namespace Reconciler.Cli.Spreadsheets;

/// <summary>What import does to one agent.</summary>
internal enum ImportAction
{
    Create,
    Update,
    Unchanged,
}
