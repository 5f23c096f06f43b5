namespace Reconciler.Cli.Spreadsheets;

/// <summary>How new agents are grouped into files.</summary>
internal enum ImportGrouping
{
    /// <summary>One file per (first) business unit.</summary>
    BusinessUnit,

    /// <summary>One file per supervisor tree: new agents join the file of their nearest supervisor already in the folder.</summary>
    Supervisor,
}

/// <summary>A problem with the sheet; <see cref="Row"/> is 0 for problems of the header or of the existing manifests.</summary>
internal sealed record ImportProblem(int Row, string Message, int Column = -1);

/// <summary>What import does to one agent.</summary>
internal enum ImportAction
{
    Create,
    Update,
    Unchanged,
}

/// <summary>One imported row: the agent, where it lives, and which fields changed.</summary>
internal sealed record ImportedAgent(int Row, string Name, string File, ImportAction Action, IReadOnlyList<string> ChangedFields);

/// <summary>A file to write: its full new text, and whether it is new.</summary>
internal sealed record FileWrite(string Path, string Text, bool IsNew);

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
