namespace Reconciler.Cli.Spreadsheets;

/// <summary>One non-empty cell as read: its text (numbers in invariant form, booleans TRUE/FALSE) and how it was typed.</summary>
internal sealed record SheetCell(string Text, CellKind Kind);
