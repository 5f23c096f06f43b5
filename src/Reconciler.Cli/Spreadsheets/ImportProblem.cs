namespace Reconciler.Cli.Spreadsheets;

/// <summary>A problem with the sheet; <see cref="Row"/> is 0 for problems of the header or of the existing manifests.</summary>
internal sealed record ImportProblem(int Row, string Message, int Column = -1);
