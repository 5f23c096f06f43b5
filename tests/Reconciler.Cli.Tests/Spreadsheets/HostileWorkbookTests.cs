using System.IO.Compression;
using System.Text.RegularExpressions;
using Reconciler.Cli.Spreadsheets;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

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

    [Theory]
    [InlineData("Name,Email\nAna,ana@acme.example\n", "agents.xlsx: not a readable workbook (the file is text, not a zip package: a CSV file? give it the .csv extension)")]
    [InlineData("\uFEFFEmail;Display name\r\n", "agents.xlsx: not a readable workbook (the file is text, not a zip package: a CSV file?")]
    [InlineData("", "agents.xlsx: not a readable workbook (the file is empty)")]
    [InlineData("\u00D0\u00CF\u0011\u00E0\u00A1\u00B1\u001A\u00E1\u0000\u0000", "agents.xlsx: not a readable workbook (it is an Excel 97-2003 .xls file; save it as .xlsx)")]
    [InlineData("\u0001\u0002 not a zip", "agents.xlsx: not a readable workbook (")]
    public async Task A_file_that_is_not_a_zip_is_one_line_saying_what_it_is(string content, string message)
    {
        // The .xls signature is bytes, not text: Latin-1 writes each char as its byte.
        await File.WriteAllBytesAsync(_workspace.PathOf("agents.xlsx"), content.StartsWith('\u00D0') ? System.Text.Encoding.Latin1.GetBytes(content) : System.Text.Encoding.UTF8.GetBytes(content));

        await ShouldFailWithOneLineAsync(message, content);
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

    /// <summary>A change to the Agents sheet's XML, and what the one line of error must say.</summary>
    public static TheoryData<string, Func<string, string>, string> MalformedSheets => new()
    {
        { "a row given twice", xml => AddRow(AddRow(xml, "3", "A3"), "3", "A3"), "Sheet \"Agents\" row 3: the row is in the file twice" },
        { "rows in descending order", xml => AddRow(AddRow(xml, "5", "A5"), "4", "A4"), "Sheet \"Agents\" row 4: comes after row 5" },
        { "a row number past uint", xml => AddRow(xml, "99999999999", "A3"), "Sheet \"Agents\": row 99999999999 is beyond row 1048576" },
        { "a negative row number", xml => AddRow(xml, "-1", "A3"), "Sheet \"Agents\": row \"-1\" (after row 1) is not a row number" },
        { "a cell naming another row (a spreadsheet shows it there)", xml => AddRow(xml, "3", "B9"), "Sheet \"Agents\" cell B9: it is in row 3; a cell's reference names the row it is in" },
        { "a cell in row 0", xml => AddRow(xml, "3", "A0"), "Sheet \"Agents\" cell A0: it is in row 3; a cell's reference names the row it is in" },
        { "more cells without references than columns", xml => AddCells(xml, CellAddress.MaxColumns + 1), "Sheet \"Agents\" row 2: more than 16,384 cells" },
        { "a million cells without references", xml => AddCells(xml, 1_000_000), "Sheet \"Agents\" row 2: more than 16,384 cells" },
        { "whitespace past the part limit", xml => xml.Insert(xml.IndexOf("</", xml.IndexOf("sheetData", StringComparison.Ordinal), StringComparison.Ordinal), new string(' ', (int)SheetLimits.MaxPartCharacters)), "agents.xlsx: a part of the workbook is longer than 67,108,864 characters" },
    };

    [Theory]
    [MemberData(nameof(MalformedSheets))]
    public async Task A_malformed_sheet_is_one_line_naming_the_sheet_and_row(string why, Func<string, string> change, string message)
    {
        await TemplateAsync();
        RewriteAgentsSheet(change);

        await ShouldFailWithOneLineAsync(message, why);
    }

    [Theory]
    [InlineData("TargetMode=\"External\" ", "agents.xlsx: sheet \"Agents\" has no worksheet in the file")]
    [InlineData("", "agents.xlsx: not a readable workbook (Specified part does not exist in the package.)")]
    public async Task A_sheet_relationship_to_no_part_is_one_line_naming_the_file(string mode, string message)
    {
        await TemplateAsync();
        RewriteEntry("xl/_rels/workbook.xml.rels", xml => Regex.Replace(xml, "Target=\"(/?xl/)?worksheets/sheet1.xml\"", $"{mode}Target=\"worksheets/missing.xml\""));

        await ShouldFailWithOneLineAsync(message, mode);
    }

    [Theory]
    [InlineData("xl/_rels/workbook.xml.rels")]
    [InlineData("_rels/.rels")]
    [InlineData("[Content_Types].xml")]
    public async Task A_package_part_read_whole_on_open_is_refused_by_its_size_before_it_is_parsed(string name)
    {
        // Opening the package parses these whole with no limit: a long attribute is held, and copied, in memory.
        await TemplateAsync();
        var huge = new string('A', (int)SheetLimits.MaxPackagePartBytes);
        RewriteEntry(name, xml => xml.Insert(xml.IndexOf("Target=\"", StringComparison.Ordinal) is var at and >= 0 ? at + 8 : xml.IndexOf("Extension=\"", StringComparison.Ordinal) + 11, huge));

        await ShouldFailWithOneLineAsync($"agents.xlsx: the workbook's part {name} is {EntryLength(name):N0} bytes, more than the 8,388,608 import reads", name);
    }

    [Theory]
    [InlineData("[Content_Types].xml")]
    [InlineData("xl/_rels/workbook.xml.rels")]
    [InlineData("xl/workbook.xml")]
    [InlineData("xl/styles.xml")]
    [InlineData("AGENTS")]
    public async Task A_part_with_a_DTD_is_refused_without_expanding_its_entities(string name)
    {
        const string Dtd = "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY file SYSTEM \"file:///etc/passwd\">]>";
        await TemplateAsync();
        string AddDtd(string xml) => Regex.Replace(xml, "^(<\\?xml[^>]*\\?>)?", m => m.Value + Dtd);
        if (name == "AGENTS")
            RewriteAgentsSheet(xml => AddRow(AddDtd(xml), "2", "C2").Replace("<x:t>x</x:t>", "<x:t>&b;&file;</x:t>", StringComparison.Ordinal).Replace("<t>x</t>", "<t>&b;&file;</t>", StringComparison.Ordinal));
        else
            RewriteEntry(name, AddDtd);

        await ShouldFailWithOneLineAsync("agents.xlsx: not a readable workbook (a part declares a DTD, which a workbook never does", name);
    }

    [Theory]
    [InlineData("xl/workbook.xml", "<x:sheets>")]
    [InlineData("xl/workbook.xml", "</x:sheets>")]
    [InlineData("xl/styles.xml", "</x:cellXfs>")]
    public async Task Elements_nested_200000_deep_are_read_past_without_overflowing_the_stack(string name, string before)
    {
        // 200,000 nested elements zip to a few hundred bytes; a part built as a tree is built recursively, and a stack
        // overflow ends the process, with no error and no catch.
        await TemplateAsync();
        RewriteEntry(name, xml => xml.Replace(before, before + string.Concat(Enumerable.Repeat("<x:extra>", 200_000)) + string.Concat(Enumerable.Repeat("</x:extra>", 200_000)), StringComparison.Ordinal));
        AddAgentRows(p => $"<{p}row r=\"2\">{InlineText(p, "B2", "Deep Nest")}{InlineText(p, "C2", "deep.nest@acme.example")}{InlineText(p, "E2", "agent")}{InlineText(p, "G2", "support")}</{p}row>");

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("1 to add", name);
    }

    [Fact]
    public async Task A_workbook_of_more_parts_than_the_limit_is_refused_before_it_is_opened()
    {
        await TemplateAsync();
        using (var zip = ZipFile.Open(_workspace.PathOf("agents.xlsx"), ZipArchiveMode.Update))
        {
            var parts = zip.Entries.Count;
            for (var i = parts; i <= SheetLimits.MaxPackageParts; i++)
                zip.CreateEntry($"xl/media/empty{i}.bin", CompressionLevel.NoCompression);
        }

        await ShouldFailWithOneLineAsync("agents.xlsx: the workbook has 10,001 parts, more than the 10,000 import reads");
    }

    [Fact]
    public async Task A_part_that_decompresses_past_its_declared_length_is_read_only_to_that_length()
    {
        // The size check trusts the lengths the zip declares: a part that holds more is cut there (and is then malformed).
        await TemplateAsync();
        var name = "xl/_rels/workbook.xml.rels";
        RewriteEntry(name, xml => xml.Insert(xml.IndexOf("Target=\"", StringComparison.Ordinal) + 8, new string('A', 64 * 1024 * 1024)));
        DeclareLength(name, 1000);

        // Read past its declared length, the part would parse whole and then name a missing part.
        await ShouldFailWithOneLineAsync("agents.xlsx: not a readable workbook (There is an unclosed literal string.");
    }

    /// <summary>A cell of Email (C2) that cannot be read, and what its one problem must say.</summary>
    [Theory]
    [InlineData("<c r=\"C2\"><f>2+5</f></c>", "holds a formula without a computed value; open and save the file in a spreadsheet program, or type the value")]
    [InlineData("<c r=\"C2\" t=\"s\"><v>7</v></c>", "shared string 7 does not exist")]
    [InlineData("<c r=\"C2\" t=\"e\"><v>#N/A</v></c>", "the cell holds the spreadsheet error #N/A")]
    [InlineData("<c r=\"C2\" t=\"inlineStr\"><is><t>LONG</t></is></c>", "holds more than 32,767 characters")]
    public async Task An_unreadable_cell_is_reported_once_naming_the_cell(string cell, string message)
    {
        await TemplateAsync();
        AddAgentRows(p => $"<{p}row r=\"2\">{InlineText(p, "B2", "Ana")}{Prefixed(p, cell.Replace("LONG", new string('x', SheetLimits.MaxCellCharacters + 1), StringComparison.Ordinal))}{InlineText(p, "E2", "agent")}</{p}row>");
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().NotContain("   at ");
        Regex.Matches(run.Error, Regex.Escape("agents.xlsx: Sheet \"Agents\" C2 (Email): " + message)).Should().ContainSingle(run.Error);
        _workspace.Snapshot().Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task A_formula_with_its_computed_value_is_read_as_the_value()
    {
        await TemplateAsync();
        AddAgentRows(p => $"<{p}row r=\"2\">{InlineText(p, "B2", "Ana Formula")}{InlineText(p, "C2", "ana.formula@acme.example")}{InlineText(p, "E2", "agent")}<{p}c r=\"F2\" t=\"str\"><{p}f>\"L\"&amp;\"2\"</{p}f><{p}v>L2</{p}v></{p}c>{InlineText(p, "G2", "support")}</{p}row>");

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        File.ReadAllText(Path.Combine(_workspace.Manifests, "agents", "support.yaml")).Should().Contain("ana.formula@acme.example").And.Contain("level: L2");
    }

    /// <summary>What a boolean cell (t="b") of Active may hold: OOXML stores TRUE as 1 and FALSE as 0, and nothing else.</summary>
    [Theory]
    [InlineData("2")]
    [InlineData("-1")]
    [InlineData("1.0")]
    [InlineData("TRUE")]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("x")]
    [InlineData("")]
    public async Task A_boolean_cell_holding_other_than_0_or_1_is_refused_naming_the_cell_rather_than_read_as_false(string value)
    {
        await TemplateAsync();
        AddAgentRows(p => BooleanRow(p, 2, "ana.bool@acme.example", value) + BooleanRow(p, 3, "bea.bool@acme.example", "0"));
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain($"agents.xlsx: Sheet \"Agents\" M2 (Active): a boolean cell holds \"{value}\"; expected 0 or 1")
            .And.Contain("1 invalid row; nothing was written");
        _workspace.Snapshot().Should().BeEquivalentTo(before);

        var skipping = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org", "--skip-invalid");

        skipping.ExitCode.Should().Be(0, skipping.ToString());
        skipping.Error.Should().Contain("skipped row 2: agents.xlsx: Sheet \"Agents\" M2 (Active): a boolean cell holds");
        var imported = ManifestLoader.Load([_workspace.Manifests]).OfType<Agent>().ToDictionary(a => a.Spec.Email);
        imported.Should().NotContainKey("ana.bool@acme.example");
        imported["bea.bool@acme.example"].Spec.Active.Should().BeFalse();
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    public async Task A_boolean_cell_of_0_or_1_is_false_or_true(string value, bool active)
    {
        await TemplateAsync();
        AddAgentRows(p => BooleanRow(p, 2, "ana.bool@acme.example", value));

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        ManifestLoader.Load([_workspace.Manifests]).OfType<Agent>().Single(a => a.Spec.Email == "ana.bool@acme.example").Spec.Active.Should().Be(active);
    }

    /// <summary>A number cell of Categories (J2) in a cell format whose number format shows a date, and the date it shows.</summary>
    [Theory]
    [InlineData(14, null, false, "45659", "2025-01-02")]
    [InlineData(16, null, false, "45659", "2025-01-02")]
    [InlineData(22, null, false, "45659.5", "2025-01-02 12:00:00")]
    [InlineData(47, null, false, "0.5", "1899-12-30 12:00:00")]
    [InlineData(14, null, true, "44197", "2025-01-02")]
    [InlineData(165, "d-mmm", false, "45659", "2025-01-02")]
    [InlineData(165, "[$-409]mmmm d, yyyy;@", false, "45659", "2025-01-02")]
    [InlineData(165, "yyyy\\-mm\\-dd", true, "44197", "2025-01-02")]
    public async Task A_number_cell_formatted_as_a_date_is_refused_naming_the_date_it_shows(int format, string? code, bool date1904, string value, string date)
    {
        await TemplateAsync();
        AddDateStyle(format, code, date1904);
        AddAgentRows(p => StyledNumberRow(p, value));
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain($"agents.xlsx: Sheet \"Agents\" J2 (Categories): the cell is the date {date}: a spreadsheet reads a value such as 1-2 or 3/4 typed into a cell not formatted as text as a date")
            .And.NotContain("   at ");
        _workspace.Snapshot().Should().BeEquivalentTo(before);
    }

    [Theory]
    [InlineData("2025-01-02", "2025-01-02")]
    [InlineData("2025-01-02T00:00:00", "2025-01-02")]
    [InlineData("2025-03-04T05:06:07Z", "2025-03-04 05:06:07")]
    [InlineData("not a date", "not a date")]
    public async Task A_cell_of_the_date_type_is_refused_naming_the_date_it_holds(string value, string date)
    {
        await TemplateAsync();
        AddAgentRows(p => StyledNumberRow(p, value).Replace("s=\"4\"", "t=\"d\"", StringComparison.Ordinal));

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain($"agents.xlsx: Sheet \"Agents\" J2 (Categories): the cell is the date {date}:");
    }

    /// <summary>Number formats that show no date, though their text holds d, m, y, h or s as literal text or a colour.</summary>
    [Theory]
    [InlineData(2, null)]
    [InlineData(49, null)]
    [InlineData(165, "0.00")]
    [InlineData(165, "[Red]0")]
    [InlineData(165, "0 \"days\"")]
    [InlineData(165, "0\\h")]
    [InlineData(165, "0_m;-0")]
    public async Task A_number_cell_in_a_format_that_is_no_date_is_read_as_the_number(int format, string? code)
    {
        await TemplateAsync();
        AddDateStyle(format, code, date1904: false);
        AddAgentRows(p => StyledNumberRow(p, "7"));

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        ManifestLoader.Load([_workspace.Manifests]).OfType<Agent>().Single(a => a.Spec.Email == "ana.date@acme.example").Spec.Categories.Should().Equal("7");
    }

    public void Dispose() => _workspace.Dispose();

    private static string StyledNumberRow(string p, string value) =>
        $"<{p}row r=\"2\">{InlineText(p, "B2", "Ana Date")}{InlineText(p, "C2", "ana.date@acme.example")}{InlineText(p, "E2", "agent")}{InlineText(p, "G2", "support")}<{p}c r=\"J2\" s=\"4\"><{p}v>{value}</{p}v></{p}c></{p}row>";

    /// <summary>Adds cell format 4 with number format <paramref name="format"/> (defined by <paramref name="code"/> unless built in) to the template's styles.</summary>
    private void AddDateStyle(int format, string? code, bool date1904)
    {
        RewriteEntry("xl/styles.xml", xml =>
        {
            var styled = xml.Replace("</x:cellXfs>", $"<x:xf numFmtId=\"{format}\" applyNumberFormat=\"1\" /></x:cellXfs>", StringComparison.Ordinal);
            return code is null ? styled : styled.Replace("</x:numFmts>", $"<x:numFmt numFmtId=\"{format}\" formatCode=\"{System.Security.SecurityElement.Escape(code)}\" /></x:numFmts>", StringComparison.Ordinal);
        });
        if (date1904)
            RewriteEntry("xl/workbook.xml", xml => xml.Replace("<x:sheets>", "<x:workbookPr date1904=\"1\" /><x:sheets>", StringComparison.Ordinal));
    }

    /// <summary>A new agent's row whose Active (M) is a boolean cell holding <paramref name="value"/>.</summary>
    private static string BooleanRow(string p, int row, string email, string value) =>
        $"<{p}row r=\"{row}\">{InlineText(p, $"B{row}", "Bool Agent")}{InlineText(p, $"C{row}", email)}{InlineText(p, $"E{row}", "agent")}{InlineText(p, $"G{row}", "support")}<{p}c r=\"M{row}\" t=\"b\"><{p}v>{value}</{p}v></{p}c></{p}row>";

    private static string InlineText(string p, string cell, string text) => $"<{p}c r=\"{cell}\" t=\"inlineStr\"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>";

    /// <summary>Cell XML written without a prefix, given the sheet's namespace prefix.</summary>
    private static string Prefixed(string p, string xml) => Regex.Replace(xml, "<(/?)(?=[a-z])", $"<$1{p}");

    /// <summary>Adds rows at the end of the Agents sheet: <paramref name="rows"/> writes them with the sheet's namespace prefix.</summary>
    private void AddAgentRows(Func<string, string> rows) => RewriteAgentsSheet(xml =>
    {
        var end = Regex.Match(xml, "</(\\w+:)?sheetData>");
        return xml.Insert(end.Index, rows(end.Groups[1].Value));
    });

    private async Task TemplateAsync()
    {
        var run = await _workspace.RunAsync("template", "agents.xlsx", "-f", "org");
        run.ExitCode.Should().Be(0, run.ToString());
    }

    private async Task ShouldFailWithOneLineAsync(string message, string why = "")
    {
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "agents.xlsx", "--output-dir", "org");

        run.ExitCode.Should().Be(1, why + "\n" + run);
        run.Error.Should().Contain(message, why).And.NotContain("   at ", "a user error is not a stack trace");
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

    private static string AddCells(string xml, int count)
    {
        var end = Regex.Match(xml, "</(\\w+:)?sheetData>");
        var prefix = end.Groups[1].Value;
        var cells = new System.Text.StringBuilder().Insert(0, $"<{prefix}c/>", count);
        return xml.Insert(end.Index, $"<{prefix}row r=\"2\">{cells}</{prefix}row>");
    }

    private long EntryLength(string name)
    {
        using var zip = ZipFile.OpenRead(_workspace.PathOf("agents.xlsx"));
        return zip.GetEntry(name)!.Length;
    }

    /// <summary>Sets the uncompressed length the zip declares for an entry, in its local header and its central directory record.</summary>
    private void DeclareLength(string name, uint length)
    {
        var bytes = File.ReadAllBytes(_workspace.PathOf("agents.xlsx"));
        var encoded = System.Text.Encoding.UTF8.GetBytes(name);
        var patched = 0;
        foreach (var (signature, nameLengthAt, nameAt, lengthAt) in new[] { (0x04034b50u, 26, 30, 22), (0x02014b50u, 28, 46, 24) })
        {
            for (var i = 0; i + nameAt < bytes.Length; i++)
            {
                if (BitConverter.ToUInt32(bytes, i) != signature || BitConverter.ToUInt16(bytes, i + nameLengthAt) != encoded.Length || !bytes.AsSpan(i + nameAt, encoded.Length).SequenceEqual(encoded))
                    continue;
                BitConverter.TryWriteBytes(bytes.AsSpan(i + lengthAt, 4), length).Should().BeTrue();
                patched++;
            }
        }

        patched.Should().Be(2);
        File.WriteAllBytes(_workspace.PathOf("agents.xlsx"), bytes);
    }

    private void RewriteEntry(string name, Func<string, string> change)
    {
        using var zip = ZipFile.Open(_workspace.PathOf("agents.xlsx"), ZipArchiveMode.Update);
        var entry = zip.GetEntry(name)!;
        string xml;
        using (var reader = new StreamReader(entry.Open()))
            xml = reader.ReadToEnd();
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        writer.Write(change(xml));
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
