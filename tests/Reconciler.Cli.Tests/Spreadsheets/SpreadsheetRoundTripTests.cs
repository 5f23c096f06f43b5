using Reconciler.Cli.Tests.Integration;

namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>export → report → edit in a spreadsheet program → import → plan shows exactly the edits, against the real platform over HTTP.</summary>
public sealed class SpreadsheetRoundTripTests
{
    [OpenpyxlFact]
    public async Task Editing_an_exported_report_and_importing_it_plans_exactly_the_edits()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync("apply -f acme-support --auto-approve --platform-url {url}")).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        (await cli.RunAsync("export --output-dir exported --platform-url {url}")).ExitCode.Should().Be(0);
        var report = await cli.RunAsync("report agents -o xlsx --output-file agents.xlsx --platform-url {url}");
        report.ExitCode.Should().Be(0, report.ToString());
        var unchanged = await cli.RunAsync("import -f agents.xlsx --output-dir exported");
        unchanged.Output.Should().Contain("0 to add, 0 changed").And.Contain("0 files written", "a report of the platform matches its export");

        // A support manager's edits, made by another program: one agent promoted and given a language, one deactivated, one added.
        await SpreadsheetTools.WriteWithOpenpyxlAsync(Path.Combine(cli.Directory, "edited.xlsx"), $$"""
            wb = openpyxl.load_workbook(r"{{Path.Combine(cli.Directory, "agents.xlsx")}}")
            ws = wb["Agents"]
            header = [c.value for c in ws[1]]
            col = lambda name: header.index(name)
            for row in ws.iter_rows(min_row=2):
                if row[col("Email")].value == "anna.schmidt@acme.example":
                    row[col("Level")].value = "L2"
                    row[col("Languages")].value = row[col("Languages")].value + ", fr"
                if row[col("Email")].value == "budi.santoso@acme.example":
                    row[col("Active")].value = False
            ws.append(["", "Zoe Novak", "zoe.novak@acme.example", "+4915112349999", "agent", "L1", "support", "lukas.becker@acme.example", "de, en", None, 3, "Chat", True])
            """);
        var import = await cli.RunAsync("import -f edited.xlsx --output-dir exported");
        import.ExitCode.Should().Be(0, import.ToString());
        import.Output.Should().Contain("1 to add, 2 changed");

        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        plan.ExitCode.Should().Be(2, plan.ToString());
        plan.Output.Should().Contain("Plan: 1 to add, 2 to change, 0 to delete.");
        plan.Output.Should().Contain("+ Agent/zoe-novak").And.Contain("~ Agent/anna-schmidt").And.Contain("~ Agent/budi-santoso");
        plan.Output.Should().MatchRegex(@"level: ""?L1""? -> ""?L2""?").And.Contain("active: true -> false").And.MatchRegex(@"(?s)spec\.languages: \[\s*\+ ""fr""");
        // Resource headers only ("  ~ Agent/anna-schmidt"); field lines below them are indented further.
        var changed = plan.Output.Split('\n').Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  (\+|~|-|<=) [A-Z][A-Za-z]+/\S+$")).ToList();
        changed.Should().HaveCount(3, "nothing but the edited rows is planned: " + string.Join(" | ", changed));

        (await cli.RunAsync("apply -f exported --auto-approve --platform-url {url}")).ExitCode.Should().Be(0);
        var after = await cli.RunAsync("report agents -o csv --platform-url {url}");
        after.Output.Should().Contain("zoe.novak@acme.example").And.Contain("fr");
        after.Output.Split('\n').Single(l => l.Contains("budi.santoso@", StringComparison.Ordinal)).Should().Contain(",FALSE,Inactive,");
    }
}
