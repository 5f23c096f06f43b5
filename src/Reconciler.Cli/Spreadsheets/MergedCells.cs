using System.Globalization;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>A range of merged cells (0-based columns, 1-based rows): its value is in its first cell alone, shown over all of them.</summary>
internal sealed record MergedCells(int FirstColumn, int FirstRow, int LastColumn, int LastRow)
{
    private static readonly char[] CellLetters = [.. Enumerable.Range('A', 26).Select(c => (char)c), .. Enumerable.Range('a', 26).Select(c => (char)c)];

    public string First => CellAddress.Of(FirstColumn, FirstRow);

    public string Reference => $"{First}:{CellAddress.Of(LastColumn, LastRow)}";

    /// <summary>A <c>mergeCell</c> reference such as <c>B2:B3</c>; null for one of a single cell, or that names no range.</summary>
    public static MergedCells? Parse(string? reference)
    {
        if (reference?.Split(':') is not [var from, var to] || Cell(from) is not { } first || Cell(to) is not { } last)
            return null;
        var merged = new MergedCells(Math.Min(first.Column, last.Column), Math.Min(first.Row, last.Row), Math.Max(first.Column, last.Column), Math.Max(first.Row, last.Row));
        return merged.FirstColumn == merged.LastColumn && merged.FirstRow == merged.LastRow ? null : merged;
    }

    private static (int Column, int Row)? Cell(string reference)
    {
        var column = CellAddress.ColumnOf(reference);
        var digits = reference.TrimStart(CellLetters);
        return column is >= 0 and < CellAddress.MaxColumns && digits.Length is > 0 and <= 7 && digits.All(char.IsAsciiDigit)
            && int.Parse(digits, CultureInfo.InvariantCulture) is var row and >= 1 and <= CellAddress.MaxRows
                ? (column, row)
                : null;
    }
}
