namespace Reconciler.Cli.Spreadsheets;

/// <summary>A1-style cell addresses.</summary>
internal static class CellAddress
{
    /// <summary>Columns a workbook can have (A to XFD), as Excel and the file format allow.</summary>
    public const int MaxColumns = 16384;

    /// <summary>Rows a workbook can have.</summary>
    public const int MaxRows = 1_048_576;

    public static string Column(int index)
    {
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        return letters;
    }

    public static string Of(int column, int row) => Column(column) + row.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The 0-based column of a reference such as <c>AB12</c>, or -1 when it has no letters; a column beyond XFD is
    /// <see cref="MaxColumns"/> however many letters it has, so that no reference can overflow.
    /// </summary>
    public static int ColumnOf(string reference)
    {
        var index = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
                break;
            index = Math.Min((index * 26) + (char.ToUpperInvariant(c) - 'A' + 1), MaxColumns + 1);
            letters++;
        }

        return letters == 0 ? -1 : index - 1;
    }

    /// <summary>
    /// The row a reference such as <c>AB12</c> names (0 for <c>A0</c>, <see cref="int.MaxValue"/> past any row), or null
    /// when it names none: no digits after its letters, or other characters among them.
    /// </summary>
    public static int? RowOf(string reference)
    {
        var digits = reference.AsSpan().TrimStart("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
            return null;
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var row) ? row : int.MaxValue;
    }
}
