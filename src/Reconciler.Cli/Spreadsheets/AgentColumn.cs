namespace Reconciler.Cli.Spreadsheets;

/// <summary>One column of the agent sheets: its header, the manifest field it fills (null for report-only facts) and its type.</summary>
internal sealed record AgentColumn(string Header, string? Field, ColumnType Type, string Help)
{
    /// <summary>Report-only columns (status, presence, dates) are read back by import and ignored.</summary>
    public bool IsReportOnly => Field is null;

    /// <summary>Headers match ignoring case, spaces, hyphens and underscores: "Display name", "displayName", "display_name".</summary>
    public static string Normalize(string header) =>
        new([.. header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
}
