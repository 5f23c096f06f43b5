using Reconciler.Cli.Spreadsheets;

namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>A CSV file is read within the same bounds as a workbook, and one past them is a plain error.</summary>
public sealed class CsvSheetSourceTests : IDisposable
{
    private readonly SheetWorkspace _workspace = new();

    [Fact]
    public async Task A_cell_with_terminal_escapes_is_quoted_escaped()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), "Email,Display name\n\u001B]0;PWNED\u0007\u001B[2J@,Ana\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("\\u001B]0;PWNED\\u0007").And.NotContain("\u001B").And.NotContain("\u0007");
    }

    [Fact]
    public async Task A_csv_larger_than_the_limit_is_refused_before_it_is_read()
    {
        await using (var file = File.Create(_workspace.PathOf("agents.csv")))
            file.SetLength(SheetLimits.MaxCsvBytes + 1);

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        run.Error.Trim().Should().Be("error: agents.csv: the file is larger than 67,108,864 bytes, more than import reads");
    }

    [Fact]
    public async Task A_csv_quote_left_open_is_refused_at_the_record_limit_naming_the_row()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), "Email,Display name\n\"ana@acme.example," + new string('a', SheetLimits.MaxCsvRecordBytes * 2));

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        run.Error.Should().StartWith("error: agents.csv row 2: the record is longer than 4,194,304 bytes").And.NotContain("   at ");
    }

    [Fact]
    public async Task A_csv_cell_longer_than_a_spreadsheet_cell_is_named()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), $"Email,Display name\nana@acme.example,{new string('a', SheetLimits.MaxCellCharacters + 1)}\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("agents.csv B2 (Display name): holds more than 32,767 characters");
    }

    public void Dispose() => _workspace.Dispose();
}
