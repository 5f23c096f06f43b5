using System.Globalization;
using System.Text.Json.Nodes;
using Reconciler.Cli.Tests.Integration;

namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>Workbooks the project writes, opened by readers that are not the project: openpyxl and LibreOffice Calc.</summary>
public sealed class WorkbookReaderTests : IDisposable
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";
    private readonly SheetWorkspace _workspace = new();

    [OpenpyxlFact]
    public async Task The_template_opens_in_openpyxl_with_the_models_header_a_frozen_pane_lists_and_instructions()
    {
        var run = await _workspace.RunAsync("template", "agents.xlsx", "-f", "org");
        run.ExitCode.Should().Be(0, run.ToString());

        var book = await SpreadsheetTools.ReadWithOpenpyxlAsync(_workspace.PathOf("agents.xlsx"));

        book.Select(s => s.Key).Should().Equal("Agents", "Instructions", "Lists");
        book["Lists"]!["state"]!.GetValue<string>().Should().Be("hidden");
        var agents = book["Agents"]!;
        agents["freeze"]!.GetValue<string>().Should().Be("A2");
        Values(agents, 0).Should().Equal("Name", "Display name", "Email", "Mobile", "Role", "Level", "Business units", "Supervisor", "Languages", "Categories", "Max concurrent chats", "Capabilities", "Active");
        var validations = agents["validations"]!.AsArray().Select(v => (Sqref: v!["sqref"]!.GetValue<string>(), Formula: v["formula"]!.GetValue<string>(), Type: v["type"]!.GetValue<string>())).ToList();
        validations.Should().OnlyContain(v => v.Type == "list" && v.Formula.StartsWith("Lists!$", StringComparison.Ordinal));
        validations.Select(v => v.Sqref.Split(':')[0]).Should().BeEquivalentTo(["F2", "E2", "G2", "I2"], "level, role, business unit, language");
        var lists = book["Lists"]!["rows"]!.AsArray().Skip(1).Select(r => r!.AsArray().Select(c => c!["v"]?.ToString()).ToList()).ToList();
        lists.Select(r => r[0]).Where(v => v is not null).Should().Equal("L1", "L2", "L3", "Expert");
        lists.Select(r => r[1]).Should().Contain(["agent", "supervisor", "admin-ally", "team-lead"], "built-in roles and the organisation's own");
        lists.Select(r => r[2]).Should().Contain(["support", "billing", "sales"]);
        lists.Select(r => r[3]).Should().Contain(["pt-BR", "id", "de"]);
        book["Instructions"]!["rows"]!.AsArray().Select(r => r![0]!["v"]?.ToString()).Should().Contain(["Email", "Level", "Activated"]);
    }

    [OpenpyxlFact]
    public async Task The_agent_report_has_real_numbers_booleans_and_dates_in_openpyxl_matching_the_platform()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var run = await cli.RunAsync("report agents -o xlsx --output-file report.xlsx --platform-url {url}");
        run.ExitCode.Should().Be(0, run.ToString());
        var platform = (await cli.ListAsync("agents")).ToDictionary(a => a.Key);
        var roles = (await cli.ListAsync("roles")).ToDictionary(r => r.Id, r => r.Key);

        var sheet = (await SpreadsheetTools.ReadWithOpenpyxlAsync(Path.Combine(cli.Directory, "report.xlsx")))["Agents"]!;

        var header = Values(sheet, 0);
        var rows = sheet["rows"]!.AsArray().Skip(1).Select(r => r!.AsArray()).ToList();
        rows.Should().HaveCount(platform.Values.Count(a => roles[a.Fields["roleId"]!.GetValue<string>()] is not ("supervisor" or "admin-ally" or "admin")));
        JsonNode Cell(JsonArray row, string column) => row[header.IndexOf(column)]!;
        foreach (var row in rows)
        {
            var agent = platform[Cell(row, "Email")["v"]!.GetValue<string>()];
            new[] { "supervisor", "admin-ally", "admin" }.Should().NotContain(Cell(row, "Role")["v"]!.GetValue<string>());
            Cell(row, "Max concurrent chats")["t"]!.GetValue<string>().Should().Be("n");

            // Edited in a spreadsheet, a General cell turns a typed +5511… into a number without its plus.
            foreach (var column in new[] { "Name", "Email", "Mobile", "Languages" }.Where(c => Cell(row, c)["v"] is not null))
                Cell(row, column)["f"]!.GetValue<string>().Should().Be("@", "{0} is a text cell, as in the template", column);
            Cell(row, "Max concurrent chats")["v"]!.GetValue<int>().Should().Be(agent.Fields["maxConcurrentChats"]!.GetValue<int>());
            Cell(row, "Active")["t"]!.GetValue<string>().Should().Be("b");
            Cell(row, "Active")["v"]!.GetValue<bool>().Should().Be(agent.Fields["active"]!.GetValue<bool>());
            Cell(row, "Status")["v"]!.GetValue<string>().Should().Be(agent.Fields["active"]!.GetValue<bool>() ? "Active" : "Inactive");
            Cell(row, "Presence")["v"]!.GetValue<string>().Should().Be(agent.Fields["presence"]!.GetValue<string>());
            foreach (var (column, field) in new[] { ("Created", "createdAt"), ("Activated", "activatedAt"), ("Deactivated", "deactivatedAt") })
            {
                if (agent.Fields[field] is not { } expected)
                {
                    Cell(row, column)["v"].Should().BeNull();
                    continue;
                }

                Cell(row, column)["t"]!.GetValue<string>().Should().Be("d", "{0} is a date cell", column);
                Cell(row, column)["f"]!.GetValue<string>().Should().Contain("yy").And.Contain("dd");
                var at = DateTime.Parse(Cell(row, column)["v"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                at.Should().BeCloseTo(DateTimeOffset.Parse(expected.GetValue<string>(), CultureInfo.InvariantCulture).UtcDateTime, TimeSpan.FromMilliseconds(5));
            }
        }

        foreach (var column in new[] { "Name", "Email", "Mobile", "Languages" })
            sheet["columns"]![CellAddressOf(header, column)]!.GetValue<string>().Should().Be("@", "new rows' {0} is text too", column);
        sheet["columns"]![CellAddressOf(header, "Max concurrent chats")]!.GetValue<string>().Should().Be("General");

        var mia = rows.Single(r => Cell(r, "Email")["v"]!.GetValue<string>() == "mia.keller@acme.example");
        Cell(mia, "Deactivated")["t"]!.GetValue<string>().Should().Be("d", "an inactive agent has a deactivation date");
    }

    [LibreOfficeFact]
    public async Task The_supervisor_report_converted_by_LibreOffice_shows_the_same_cells()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        (await cli.RunAsync("report supervisors -o xlsx --output-file supervisors.xlsx --platform-url {url}")).ExitCode.Should().Be(0);
        var csv = await cli.RunAsync("report supervisors -o csv --platform-url {url}");

        // 44,34,76: comma, double quote, UTF-8 (Calc's default CSV character set is the system's, not UTF-8).
        var converted = await SpreadsheetTools.ConvertWithLibreOfficeAsync(Path.Combine(cli.Directory, "supervisors.xlsx"), "csv:Text - txt - csv (StarCalc):44,34,76", Path.Combine(cli.Directory, "lo"));

        var calc = (await File.ReadAllLinesAsync(converted)).Where(l => l.Length > 0).ToList();
        var ours = csv.Output.Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries).ToList();
        calc.Should().HaveCount(ours.Count).And.HaveCountGreaterThan(1);
        calc[0].Should().Be(ours[0]);
        for (var i = 1; i < ours.Count; i++)
        {
            // Calc renders the date cells with their number format (yyyy-mm-dd hh:mm:ss); the CSV report writes ISO 8601 in UTC.
            calc[i].Should().Be(System.Text.RegularExpressions.Regex.Replace(ours[i], @"(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)Z", "$1 $2"), "row {0}", i + 1);
        }

        calc.Skip(1).Should().OnlyContain(l => l.Contains(",supervisor,", StringComparison.Ordinal), "only supervisors are exported");
        calc[1].Should().Contain(",TRUE,Active,");
    }

    [LibreOfficeFact]
    public async Task A_workbook_made_by_LibreOffice_from_a_csv_is_imported()
    {
        var csv = _workspace.PathOf("from-calc.csv");
        await File.WriteAllTextAsync(csv, """
            Email,Display name,Role,Level,Business units,Supervisor,Languages,Max concurrent chats,Active
            calc.one@acme.example,Calc One,agent,L2,"support, billing",dewi.lestari@acme.example,"pt-BR, en",5,TRUE
            calc.two@acme.example,Calc Two,agent,Expert,billing,calc.one@acme.example,es,2,FALSE

            """);
        var xlsx = await SpreadsheetTools.ConvertWithLibreOfficeAsync(csv, "xlsx", _workspace.PathOf("calc"));

        var run = await _workspace.RunAsync("import", "-f", xlsx, "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("+ Agent/calc-one (row 2)").And.Contain("+ Agent/calc-two (row 3)");
        var support = await File.ReadAllTextAsync(Path.Combine(_workspace.Manifests, "agents", "support.yaml"));
        support.Should().Contain("imported from from-calc.xlsx, sheet \"").And.Contain("level: L2").And.Contain("maxConcurrentChats: 5").And.Contain("languages: [pt-BR, en]");
        var billing = await File.ReadAllTextAsync(Path.Combine(_workspace.Manifests, "agents", "billing.yaml"));
        billing.Should().Contain("active: false").And.Contain("maxConcurrentChats: 2").And.Contain("name: calc-one");
        (await _workspace.RunAsync("validate", "-f", _workspace.Manifests)).ExitCode.Should().Be(0);
    }

    [LibreOfficeFact]
    public async Task A_mobile_that_LibreOffice_made_a_number_or_saved_without_its_plus_is_the_agents_own_mobile_or_refused_with_how_to_keep_it()
    {
        // Calc (as Excel) reads +6281212345632 in a CSV as the number 6281212345632.
        var csv = _workspace.PathOf("edited.csv");
        await File.WriteAllTextAsync(csv, """
            Email,Display name,Role,Mobile
            budi.santoso@acme.example,Budi Santoso,agent,+6281212345632
            nova.calc@acme.example,Nova Calc,agent,+5511987650077

            """);
        var xlsx = await SpreadsheetTools.ConvertWithLibreOfficeAsync(csv, "xlsx", _workspace.PathOf("calc"));
        var before = _workspace.Snapshot();

        var failed = await _workspace.RunAsync("import", "-f", xlsx, "--output-dir", "org");

        failed.ExitCode.Should().Be(1, failed.ToString());
        failed.Error.Should().Contain("edited.xlsx: Sheet \"edited\" D3 (Mobile): the cell is the number 5511987650077, not text").And.Contain("type +5511987650077 if that is the number")
            .And.NotContain("D2").And.NotContain("not an E.164");
        _workspace.Snapshot().Should().BeEquivalentTo(before);

        await File.WriteAllLinesAsync(csv, ["Email,Mobile", "budi.santoso@acme.example,+6281212345632"]);
        xlsx = await SpreadsheetTools.ConvertWithLibreOfficeAsync(csv, "xlsx", _workspace.PathOf("calc"));

        // Saved as CSV again, the number is written as its digits.
        var resaved = await SpreadsheetTools.ConvertWithLibreOfficeAsync(xlsx, "csv:Text - txt - csv (StarCalc):44,34,76", _workspace.PathOf("calc-csv"));
        (await File.ReadAllTextAsync(resaved)).Should().Contain("budi.santoso@acme.example,6281212345632");
        foreach (var file in new[] { xlsx, resaved })
        {
            var run = await _workspace.RunAsync("import", "-f", file, "--output-dir", "org");

            run.ExitCode.Should().Be(0, run.ToString());
            run.Output.Should().Contain("0 changed, 1 unchanged", file);
            _workspace.Snapshot().Should().BeEquivalentTo(before);
        }
    }

    [OpenpyxlFact]
    public async Task A_workbook_made_by_openpyxl_with_typed_cells_is_imported_and_its_error_cell_is_named()
    {
        var path = _workspace.PathOf("typed.xlsx");
        await SpreadsheetTools.WriteWithOpenpyxlAsync(path, """
            notes = wb.active
            notes.title = "Read me"
            notes["A1"] = "The agents are on the next sheet"
            ws = wb.create_sheet("Agents")
            ws.append(["Email", "Display name", "Role", "Level", "Mobile", "Max concurrent chats", "Active", "Business units"])
            ws.append(["py.one@acme.example", "Py One", "agent", "L1", "+5511987650009", 7, False, "sales"])
            ws.append(["py.two@acme.example", "Py Two", "agent", "#N/A", "+5511987650010", 3.0, True, "sales"])
            """);

        var failed = await _workspace.RunAsync("import", "-f", path, "--output-dir", "org");

        failed.ExitCode.Should().Be(1);
        failed.Error.Should().Contain("typed.xlsx: Sheet \"Agents\" D3 (Level): the cell holds the spreadsheet error #N/A");

        await SpreadsheetTools.WriteWithOpenpyxlAsync(path, """
            ws = wb.active
            ws.title = "Agents"
            ws.append(["Email", "Display name", "Role", "Level", "Mobile", "Max concurrent chats", "Active", "Business units"])
            ws.append(["py.one@acme.example", "Py One", "agent", "L1", "+5511987650009", 7, False, "sales"])
            """);
        var run = await _workspace.RunAsync("import", "-f", path, "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        var sales = await File.ReadAllTextAsync(Path.Combine(_workspace.Manifests, "agents", "sales.yaml"));
        sales.Should().Contain("py.one@acme.example").And.Contain("maxConcurrentChats: 7").And.Contain("active: false").And.Contain("mobile: \"+5511987650009\"");
    }

    [OpenpyxlFact]
    public async Task A_formula_openpyxl_saved_without_its_value_is_refused_rather_than_read_as_empty()
    {
        var path = _workspace.PathOf("formula.xlsx");
        await SpreadsheetTools.WriteWithOpenpyxlAsync(path, """
            ws = wb.active
            ws.title = "Agents"
            ws.append(["Email", "Display name", "Role", "Max concurrent chats"])
            ws.append(["budi.santoso@acme.example", "Budi Santoso", "agent", "=2+5"])
            """);
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", path, "--output-dir", "org");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("formula.xlsx: Sheet \"Agents\" D2 (Max concurrent chats): holds a formula without a computed value");
        _workspace.Snapshot().Should().BeEquivalentTo(before, "the field is not removed");
    }

    [OpenpyxlFact]
    public async Task A_date_openpyxl_wrote_into_a_text_column_is_refused_naming_the_date_in_either_date_system()
    {
        foreach (var epoch in new[] { "CALENDAR_WINDOWS_1900", "CALENDAR_MAC_1904" })
        {
            var path = _workspace.PathOf("dates.xlsx");
            await SpreadsheetTools.WriteWithOpenpyxlAsync(path, $"""
                from openpyxl.utils.datetime import {epoch}
                wb.epoch = {epoch}
                ws = wb.active
                ws.title = "Agents"
                ws.append(["Email", "Display name", "Role", "Categories"])
                ws.append(["py.date@acme.example", "Py Date", "agent", datetime.date(2025, 1, 2)])
                ws.append(["py.time@acme.example", "Py Time", "agent", datetime.datetime(2025, 3, 4, 5, 6, 7)])
                """);
            var before = _workspace.Snapshot();

            var run = await _workspace.RunAsync("import", "-f", path, "--output-dir", "org");

            run.ExitCode.Should().Be(1, epoch + run);
            run.Error.Should().Contain("dates.xlsx: Sheet \"Agents\" D2 (Categories): the cell is the date 2025-01-02:", epoch)
                .And.Contain("dates.xlsx: Sheet \"Agents\" D3 (Categories): the cell is the date 2025-03-04 05:06:07:", epoch);
            _workspace.Snapshot().Should().BeEquivalentTo(before);
        }
    }

    [OpenpyxlFact]
    public async Task Without_an_Agents_sheet_the_first_visible_sheet_is_read_not_a_hidden_one_before_it()
    {
        var path = _workspace.PathOf("staff.xlsx");
        await SpreadsheetTools.WriteWithOpenpyxlAsync(path, """
            settings = wb.active
            settings.title = "Settings"
            settings.sheet_state = "hidden"
            settings["A1"] = "Region"
            ws = wb.create_sheet("Staff")
            ws.append(["Email", "Display name", "Role", "Business units"])
            ws.append(["py.staff@acme.example", "Py Staff", "agent", "sales"])
            wb.active = 1
            """);

        var run = await _workspace.RunAsync("import", "-f", path, "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("+ Agent/py-staff (row 2)");
        (await File.ReadAllTextAsync(Path.Combine(_workspace.Manifests, "agents", "sales.yaml"))).Should().Contain("py.staff@acme.example");
    }

    [OpenpyxlFact]
    public async Task A_chart_sheet_before_the_first_worksheet_is_passed_over_and_one_asked_for_is_named_as_a_chart_sheet()
    {
        var path = _workspace.PathOf("charted.xlsx");
        await SpreadsheetTools.WriteWithOpenpyxlAsync(path, """
            from openpyxl.chart import BarChart, Reference
            ws = wb.active
            ws.title = "Staff"
            ws.append(["Email", "Display name", "Role", "Business units", "Max concurrent chats"])
            ws.append(["py.chart@acme.example", "Py Chart", "agent", "sales", 4])
            chart = BarChart()
            chart.add_data(Reference(ws, min_col=5, min_row=1, max_row=2), titles_from_data=True)
            wb.create_chartsheet("Chats", 0).add_chart(chart)
            wb.active = 1
            """);
        var before = _workspace.Snapshot();

        var named = await _workspace.RunAsync("import", "-f", path, "--output-dir", "org", "--sheet", "Chats");

        named.ExitCode.Should().Be(1, named.ToString());
        named.Error.Should().Contain("charted.xlsx: sheet \"Chats\" is a chart sheet, not a worksheet of cells");
        _workspace.Snapshot().Should().BeEquivalentTo(before);

        var run = await _workspace.RunAsync("import", "-f", path, "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("+ Agent/py-chart (row 2)");
    }

    private static string CellAddressOf(List<string?> header, string column) => Reconciler.Cli.Spreadsheets.CellAddress.Column(header.IndexOf(column));

    private static List<string?> Values(JsonNode sheet, int row) =>
        [.. sheet["rows"]!.AsArray()[row]!.AsArray().Select(c => c!["v"]?.ToString())];

    [OpenpyxlFact]
    public async Task A_cell_a_merge_covers_is_refused_naming_the_merge_rather_than_read_as_empty()
    {
        // Merged, B2:B3 shows "support" on both rows; the file holds it in B2 alone, and B3 read as empty would take
        // Dewi out of every business unit. A merge in a column import ignores (Status) changes nothing.
        var path = _workspace.PathOf("merged.xlsx");
        await SpreadsheetTools.WriteWithOpenpyxlAsync(path, """
            ws = wb.active
            ws.title = "Agents"
            ws.append(["Email", "Business units", "Level", "Status"])
            ws.append(["budi.santoso@acme.example", "support", "L1", "Active"])
            ws.append(["dewi.lestari@acme.example", None, "L3", None])
            ws.merge_cells("B2:B3")
            ws.merge_cells("D2:D3")
            """);
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", path, "--output-dir", "org");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("merged.xlsx: Sheet \"Agents\" B3 (Business units): the cell is merged into B2 (B2:B3): it shows B2's value but holds none of its own; unmerge the cells and fill each one")
            .And.NotContain("D3").And.NotContain("   at ");
        _workspace.Snapshot().Should().BeEquivalentTo(before, "no agent loses its business units");
    }

    public void Dispose() => _workspace.Dispose();
}
