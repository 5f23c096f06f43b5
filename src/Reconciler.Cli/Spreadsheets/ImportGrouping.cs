namespace Reconciler.Cli.Spreadsheets;

/// <summary>How new agents are grouped into files.</summary>
internal enum ImportGrouping
{
    /// <summary>One file per (first) business unit.</summary>
    BusinessUnit,

    /// <summary>One file per supervisor tree: new agents join the file of their nearest supervisor already in the folder.</summary>
    Supervisor,
}
