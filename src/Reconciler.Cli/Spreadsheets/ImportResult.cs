namespace Reconciler.Cli.Spreadsheets;

/// <summary>The outcome of an import: problems (nothing to write when any row is invalid, unless skipping), writes, and per-row actions.</summary>
internal sealed record ImportResult(
    IReadOnlyList<ImportProblem> Problems,
    IReadOnlyList<ImportProblem> Warnings,
    IReadOnlyList<int> SkippedRows,
    IReadOnlyList<FileWrite> Writes,
    IReadOnlyList<ImportedAgent> Agents)
{
    public bool Failed => Problems.Count > 0;
}
