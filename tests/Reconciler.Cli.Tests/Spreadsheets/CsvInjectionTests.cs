using Reconciler.Cli.Spreadsheets;

namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>CSV cells a spreadsheet would run as a formula are escaped on write and unescaped on import.</summary>
public sealed class CsvInjectionTests : IDisposable
{
    private const string Header = "Name,Display name,Email,Mobile,Role,Level,Business units,Supervisor,Languages,Categories,Max concurrent chats,Capabilities,Active";
    private readonly SheetWorkspace _workspace = new();

    public static TheoryData<string> FormulaLike => new() { "=1+2", "@SUM(A1)", "+SUM(A1)", "-2+3", "+1 (555) 010-9999", "=HYPERLINK(\"http://evil\")", "plain", "'quoted", "'=quoted", "''=twice" };

    [Theory]
    [MemberData(nameof(FormulaLike))]
    public async Task A_value_that_starts_like_a_formula_is_written_after_an_apostrophe_and_read_back_unchanged(string value)
    {
        var path = _workspace.PathOf("out.csv");
        var sheet = new WorkbookSheet("Agents", ["Value"], [[value]]);

        await CsvSheetWriter.WriteAsync(path, sheet, CancellationToken.None);

        var written = (await File.ReadAllLinesAsync(path))[1].Trim('"');
        if ((CsvSheetSource.FormulaStarts.Contains(value[0], StringComparison.Ordinal) && !value.StartsWith("+1 ", StringComparison.Ordinal)) || value.StartsWith("''", StringComparison.Ordinal) || value.StartsWith("'=", StringComparison.Ordinal))
            written.Should().StartWith("'", "a spreadsheet must not run {0} as a formula", value);
        else
            written.Should().Be(value);
        using var source = new CsvSheetSource(path, "out.csv");
        source.Rows().Skip(1).Single().Cells[0]!.Text.Should().Be(value);
    }

    [Fact]
    public async Task A_csv_file_starts_with_the_utf8_byte_order_mark_Excel_needs_to_read_accents()
    {
        // Excel decodes a CSV without it in the system code page (Windows-1252): Gómez opens as GÃ³mez.
        var path = _workspace.PathOf("out.csv");

        await CsvSheetWriter.WriteAsync(path, new WorkbookSheet("Agents", ["Display name"], [["Valentina Gómez"]]), CancellationToken.None);

        (await File.ReadAllBytesAsync(path)).Should().Equal([0xEF, 0xBB, 0xBF, .. "Display name\r\nValentina G"u8, 0xC3, 0xB3, .. "mez\r\n"u8]);
        using var source = new CsvSheetSource(path, "out.csv");
        source.Rows().Select(r => r.Cells[0]!.Text).Should().Equal("Display name", "Valentina Gómez");
    }

    [Fact]
    public async Task An_escaped_phone_number_imports_as_the_phone_number()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), $"{Header}\n,Ana Lima,ana.lima@acme.example,'+5511987650001,agent,L1,support,dewi.lestari@acme.example,en,,4,Chat,TRUE\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        var written = Directory.EnumerateFiles(_workspace.Manifests, "*.yaml", SearchOption.AllDirectories).Select(File.ReadAllText).Single(t => t.Contains("ana.lima@acme.example", StringComparison.Ordinal));
        written.Should().Contain("+5511987650001").And.NotContain("'+5511987650001");
    }

    public void Dispose() => _workspace.Dispose();
}
