using Reconciler.Cli.Spreadsheets;

namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>Text that XML cannot hold is written as Excel writes it, and read back unchanged.</summary>
public sealed class XlsxTextTests : IDisposable
{
    private readonly SheetWorkspace _workspace = new();

    public static TheoryData<string, string> Values => new()
    {
        { "Ana\u0001Lima", "Ana_x0001_Lima" },
        { "tab\u000Bvertical", "tab_x000B_vertical" },
        { "line\r\nbreak", "line_x000D_\nbreak" },
        { "literal _x0041_ sequence", "literal _x005F_x0041_ sequence" },
        { "_xABCD\u0001", "_x005F_xABCD_x0001_" },
        { "_x0041\r", "_x005F_x0041_x000D_" },
        { "_x0041_x0042_", "_x005F_x0041_x005F_x0042_" },
        { "plain_name", "plain_name" },
        { "max_xu@acme.example", "max_xu@acme.example" },
        { "_x12 _x004G_ _x0041 _X0041_", "_x12 _x004G_ _x0041 _X0041_" },
        { "\U0001F600_x", "\U0001F600_x" },
    };

    /// <summary>Text with underscores that openpyxl, which decodes no escapes in an inline string, must read as written.</summary>
    [OpenpyxlFact]
    public async Task A_report_cell_with_an_underscore_before_x_reads_the_same_in_openpyxl()
    {
        string[] values = ["max_xu@acme.example", "snake_x_case", "_x12", "a_xyz_", "_x004G_"];
        var path = _workspace.PathOf("report.xlsx");

        XlsxWorkbookWriter.Write(path, [new WorkbookSheet("Agents", ["Email"], values.Select(v => (IReadOnlyList<object?>)[v]))]);

        var rows = (await SpreadsheetTools.ReadWithOpenpyxlAsync(path))["Agents"]!["rows"]!.AsArray().Skip(1);
        rows.Select(r => r![0]!["v"]!.GetValue<string>()).Should().Equal(values);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void A_value_is_escaped_as_Excel_escapes_it_and_unescaped_back(string value, string escaped)
    {
        XlsxText.Escape(value).Should().Be(escaped);
        XlsxText.Unescape(escaped).Should().Be(value);
    }

    [Theory]
    [InlineData("_xD83D__xDE00_", "\U0001F600")]
    [InlineData("half _xD800_ a pair", "half _xD800_ a pair")]
    [InlineData("_xDE00_", "_xDE00_")]
    public void Escaped_surrogates_decode_only_as_whole_pairs(string escaped, string read)
    {
        XlsxText.Unescape(escaped).Should().Be(read);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void A_report_cell_with_any_character_reads_back_as_written(string value, string escaped)
    {
        _ = escaped;
        var path = _workspace.PathOf("report.xlsx");

        XlsxWorkbookWriter.Write(path, [new WorkbookSheet("Agents", ["Display name"], [[value]])]);

        using var source = XlsxSheetSource.Open(path, "report.xlsx", null);
        source.Rows().Skip(1).Single().Cells[0]!.Text.Should().Be(value);
    }

    /// <summary>Excel's limit is on the text, not on its escaped form: a cell of 32,767 carriage returns is written as seven times as many characters.</summary>
    [Theory]
    [InlineData('\r', SheetLimits.MaxCellCharacters, false)]
    [InlineData('\u0001', SheetLimits.MaxCellCharacters, false)]
    [InlineData('_', SheetLimits.MaxCellCharacters, false)]
    [InlineData('\r', SheetLimits.MaxCellCharacters + 1, true)]
    [InlineData('a', SheetLimits.MaxCellCharacters + 1, true)]
    public void A_cells_length_is_counted_in_characters_of_its_text_not_of_its_escapes(char character, int length, bool tooLong)
    {
        var value = string.Concat(Enumerable.Repeat(character + "x", length / 2)) + (length % 2 == 1 ? "x" : "");
        var path = _workspace.PathOf("report.xlsx");

        XlsxWorkbookWriter.Write(path, [new WorkbookSheet("Agents", ["Display name"], [[value]])]);

        using var source = XlsxSheetSource.Open(path, "report.xlsx", null);
        source.Rows().Skip(1).Single().Cells[0].Should().Be(tooLong ? SheetCell.TooLong : new SheetCell(value, CellKind.Text));
    }

    public void Dispose() => _workspace.Dispose();
}
