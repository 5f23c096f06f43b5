namespace Reconciler.Cli.Spreadsheets;

/// <summary>One non-empty cell as read: its text (numbers in invariant form, booleans TRUE/FALSE) and how it was typed.</summary>
internal sealed record SheetCell(string Text, CellKind Kind)
{
    /// <summary>A cell longer than a spreadsheet cell can be, whichever reader met it.</summary>
    public static SheetCell TooLong { get; } = new($"holds more than {SheetLimits.MaxCellCharacters:N0} characters, the most a spreadsheet cell can hold", CellKind.Unreadable);
}
