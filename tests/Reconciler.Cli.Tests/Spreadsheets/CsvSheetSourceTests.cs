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
    public async Task More_agent_rows_than_the_limit_are_refused_before_any_is_validated()
    {
        var rows = Enumerable.Range(1, SheetLimits.MaxRows + 1).Select(i => $"agent{i}@acme.example,Agent {i},agent");
        await File.WriteAllLinesAsync(_workspace.PathOf("agents.csv"), ["Email,Display name,Role", "", .. rows]);
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        run.Error.Trim().Should().Be("error: agents.csv row 50003: more than 50,000 rows of agents, more than import reads; import the sheet in parts");
        _workspace.Snapshot().Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task A_csv_cell_longer_than_a_spreadsheet_cell_is_named()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), $"Email,Display name\nana@acme.example,{new string('a', SheetLimits.MaxCellCharacters + 1)}\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("agents.csv B2 (Display name): holds more than 32,767 characters");
    }

    [Fact]
    public async Task A_csv_row_of_more_cells_than_a_spreadsheet_row_holds_is_refused_in_one_line()
    {
        // A million header cells were a million "unknown column" lines and over 600 MB, where a workbook's row stops at XFD.
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), "Email,Display name" + string.Concat(Enumerable.Repeat(",x", 1_000_000)) + "\nana@acme.example,Ana\n");
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        run.Error.Trim().Should().Be("error: agents.csv row 1: more than 16,384 cells, the most a row can have");
        _workspace.Snapshot().Should().BeEquivalentTo(before);
    }

    /// <summary>A file's bytes, and the one line of error import must give for them.</summary>
    public static TheoryData<string, byte[], string> NotUtf8 => new()
    {
        { "Excel's CSV (Comma delimited), Windows-1252", [.. "Email,Display name,Role\nana@acme.example,Jos"u8, 0xE9, .. " Lima,agent\n"u8], "error: agents.csv B2: the text is not UTF-8 (byte 0xE9 on line 2); save the file as CSV UTF-8" },
        { "Latin-1 after a UTF-8 byte order mark", [0xEF, 0xBB, 0xBF, .. "Email,Display name,Role\nana@acme.example,Ana\n"u8, 0xC3, 0x28, .. ",agent\n"u8], "error: agents.csv A3: the text is not UTF-8 (byte 0xC3 on line 3)" },
        { "Windows-1252 at the start of a cell", [.. "Email,Display name,Role\r\nana@acme.example,Ana,agent\r\nbea@acme.example,"u8, 0xC9, .. "lise,agent\r\n"u8], "error: agents.csv B3: the text is not UTF-8 (byte 0xC9 on line 3)" },
        { "Windows-1252 at the start of a line", [.. "Email;Display name;Role\r\n"u8, 0xE9, .. "lise@acme.example;Elise;agent\r\n"u8], "error: agents.csv A2: the text is not UTF-8 (byte 0xE9 on line 2)" },
        { "Windows-1252 below a cell holding a line break", [.. "Email,Display name,Role\nana@acme.example,\"Ana\nLima\",agent\nbea@acme.example,Bea,"u8, 0xE9, .. "quipe\n"u8], "error: agents.csv C3: the text is not UTF-8 (byte 0xE9 on line 4)" },
        { "UTF-16LE without its byte order mark", System.Text.Encoding.Unicode.GetBytes("Email\tDisplay name\tRole\r\nana@acme.example\tAna\tagent\r\n"), "error: agents.csv A1: the text holds a NUL byte (on line 1), as UTF-16 without a byte order mark does; save the file as CSV UTF-8" },
        { "UTF-16BE without its byte order mark", System.Text.Encoding.BigEndianUnicode.GetBytes("Email,Display name,Role\r\n"), "error: agents.csv A1: the text holds a NUL byte (on line 1)" },
        { "a NUL in a cell", [.. "Email,Display name,Role\nana@acme.example,A"u8, 0x00, .. "na,agent\n"u8], "error: agents.csv B2: the text holds a NUL byte (on line 2)" },
        { "an .xlsx workbook named .csv", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00], "error: agents.csv: the file is a zip archive (an .xlsx workbook?), not CSV text" },
        { "an .xls workbook named .csv", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00], "error: agents.csv: the file is an Excel 97-2003 workbook (.xls), not CSV text" },
    };

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public async Task A_csv_that_is_not_utf8_text_is_refused_rather_than_read_with_replacement_characters(string why, byte[] bytes, string message)
    {
        await File.WriteAllBytesAsync(_workspace.PathOf("agents.csv"), bytes);
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1, why);
        run.Error.Should().StartWith(message, why).And.NotContain("\uFFFD").And.NotContain("   at ");
        run.Error.TrimEnd().Split('\n').Should().ContainSingle(run.Error);
        _workspace.Snapshot().Should().BeEquivalentTo(before, why);
    }

    /// <summary>Excel's "Unicode Text" (UTF-16 with a byte order mark, tab-separated) and "CSV UTF-8" (with a byte order mark).</summary>
    public static TheoryData<string, byte[]> Encoded => new()
    {
        { "UTF-16LE, tabs", [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes("Email\tDisplay name\tRole\r\nzoe.unicode@acme.example\tZoë Ünïcode\tagent\r\n")] },
        { "UTF-8 with a byte order mark, semicolons", [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes("Email;Display name;Role\r\nzoe.unicode@acme.example;Zoë Ünïcode;agent\r\n")] },
    };

    [Theory]
    [MemberData(nameof(Encoded))]
    public async Task A_csv_in_an_encoding_its_byte_order_mark_names_is_read_with_its_accents(string why, byte[] bytes)
    {
        await File.WriteAllBytesAsync(_workspace.PathOf("agents.csv"), bytes);

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(0, why + "\n" + run);
        Directory.EnumerateFiles(_workspace.Manifests, "*.yaml", SearchOption.AllDirectories).Select(File.ReadAllText)
            .Should().ContainSingle(t => t.Contains("zoe.unicode@acme.example", StringComparison.Ordinal))
            .Which.Should().Contain("Zoë Ünïcode", why);
    }

    public void Dispose() => _workspace.Dispose();
}
