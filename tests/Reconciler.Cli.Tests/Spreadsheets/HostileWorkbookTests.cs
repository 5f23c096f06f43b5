using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>Damaged or hostile files given to <c>import</c> are one line of error, exit 1, and nothing written.</summary>
public sealed class HostileWorkbookTests : IDisposable
{
    private readonly SheetWorkspace _workspace = new();

    [Fact]
    public async Task A_workbook_whose_worksheet_xml_is_truncated_is_one_line_saying_it_is_not_readable()
    {
        await TemplateAsync();
        RewriteAgentsSheet(xml => xml[..(xml.Length / 2)]);

        await ShouldFailWithOneLineAsync("agents.xlsx: not a readable workbook (");
    }

    [Fact]
    public async Task A_zip_that_is_not_a_workbook_is_one_line_saying_it_is_not_readable()
    {
        using (var zip = ZipFile.Open(_workspace.PathOf("agents.xlsx"), ZipArchiveMode.Create))
        {
            await using var writer = new StreamWriter(zip.CreateEntry("hello.txt").Open());
            await writer.WriteAsync("not a workbook");
        }

        await ShouldFailWithOneLineAsync("agents.xlsx: not a readable workbook (");
    }

    [Fact]
    public async Task A_file_that_is_not_a_zip_is_one_line_saying_it_is_not_readable()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.xlsx"), "Name,Email\n");

        await ShouldFailWithOneLineAsync("agents.xlsx: not a readable workbook (");
    }

    [Theory]
    [InlineData("ZZZZZZ3", "cell ZZZZZZ3: column beyond XFD")]
    [InlineData("ZZZZZZZ3", "cell ZZZZZZZ3: column beyond XFD")]
    [InlineData("XFE3", "cell XFE3: column beyond XFD")]
    public async Task A_cell_reference_beyond_the_last_column_is_refused_naming_the_cell(string reference, string message)
    {
        await TemplateAsync();
        RewriteAgentsSheet(xml => AddRow(xml, "3", reference));

        await ShouldFailWithOneLineAsync(message);
    }

    [Fact]
    public async Task A_row_number_beyond_the_last_row_is_refused_naming_the_row()
    {
        await TemplateAsync();
        RewriteAgentsSheet(xml => AddRow(xml, "4294967295", "A4294967295"));

        await ShouldFailWithOneLineAsync("row 4294967295 is beyond row 1048576");
    }

    [Fact]
    public async Task The_last_column_XFD_is_still_read()
    {
        await TemplateAsync();
        RewriteAgentsSheet(xml => AddRow(xml, "3", "XFD3"));

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.Error.Should().NotContain("beyond XFD").And.NotContain("not a readable workbook");
    }

    public void Dispose() => _workspace.Dispose();

    private async Task TemplateAsync()
    {
        var run = await _workspace.RunAsync("template", "agents.xlsx", "-f", "org");
        run.ExitCode.Should().Be(0, run.ToString());
    }

    private async Task ShouldFailWithOneLineAsync(string message)
    {
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain(message).And.NotContain("   at ", "a user error is not a stack trace");
        run.Error.TrimEnd().Split('\n').Should().ContainSingle(run.Error);
        _workspace.Snapshot().Should().BeEquivalentTo(before, "nothing is written from a bad file");
    }

    private static string AddRow(string xml, string row, string reference)
    {
        var end = Regex.Match(xml, "</(\\w+:)?sheetData>");
        var prefix = end.Groups[1].Value;
        var added = $"<{prefix}row r=\"{row}\"><{prefix}c r=\"{reference}\" t=\"inlineStr\"><{prefix}is><{prefix}t>x</{prefix}t></{prefix}is></{prefix}c></{prefix}row>";
        return xml.Insert(end.Index, added);
    }

    // The Agents sheet is the workbook's first worksheet part.
    private void RewriteAgentsSheet(Func<string, string> change)
    {
        using var zip = ZipFile.Open(_workspace.PathOf("agents.xlsx"), ZipArchiveMode.Update);
        var entry = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
            .OrderBy(e => e.FullName, StringComparer.Ordinal).First();
        string xml;
        using (var reader = new StreamReader(entry.Open()))
            xml = reader.ReadToEnd();
        var name = entry.FullName;
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        writer.Write(change(xml));
    }
}
