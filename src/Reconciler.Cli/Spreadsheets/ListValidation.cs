namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// A drop-down list on a column's cells, its values from a range such as <c>Lists!$A$2:$A$5</c>. Strict lists refuse
/// other values (level, role); the others only warn, for cells that hold comma-separated lists.
/// </summary>
internal sealed record ListValidation(int Column, string Source, bool Strict, string Prompt);
