namespace Reconciler.Cli.Spreadsheets;

/// <summary>A file to write: its full new text, and whether it is new.</summary>
internal sealed record FileWrite(string Path, string Text, bool IsNew);
