namespace Reconciler.Cli.Spreadsheets;

/// <summary>One imported row: the agent, where it lives, and which fields changed.</summary>
internal sealed record ImportedAgent(int Row, string Name, string File, ImportAction Action, IReadOnlyList<string> ChangedFields);
