namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>Every invalid cell is reported with its sheet position and column, and nothing is written.</summary>
public sealed class ImportCellErrorTests : IDisposable
{
    private const string Header = "Name,Display name,Email,Mobile,Role,Level,Business units,Supervisor,Languages,Categories,Max concurrent chats,Capabilities,Active";
    private const string ValidRow = ",Ana Lima,ana.lima@acme.example,+5511987650001,agent,L1,support,dewi.lestari@acme.example,\"pt-BR, en\",,4,\"Chat, Search\",TRUE";

    private readonly SheetWorkspace _workspace = new();

    /// <summary>Column index, the bad value, the expected cell, and what the message must say. Each case is one rule.</summary>
    public static TheoryData<string, int, string, string, string> Cases => new()
    {
        { "an e-mail without a domain", 2, "ana@", "C3 (Email)", "\"ana@\" is not a valid e-mail address" },
        { "a phone number that is not E.164", 3, "+55", "D3 (Mobile)", "\"+55\" is not an E.164 phone number" },
        { "a phone number Excel saved in scientific notation", 3, "5.51199E+12", "D3 (Mobile)", "\"5.51199E+12\" is a phone number a spreadsheet read as a number and saved in scientific notation, its digits lost" },
        { "a phone number without its plus", 3, "5511987650002", "D3 (Mobile)", "\"5511987650002\" is not an E.164 phone number" },
        { "a misspelt role", 4, "agnt", "E3 (Role)", "did you mean \"agent\"?" },
        { "a level outside L1-L3/Expert", 5, "L5", "F3 (Level)", "\"L5\" is not one of L1, L2, L3, Expert" },
        { "a misspelt business unit", 6, "suport", "G3 (Business units)", "BusinessUnit \"suport\" not found in the set; did you mean \"support\"?" },
        { "a supervisor e-mail nobody has", 7, "dewi.lestary@acme.example", "H3 (Supervisor)", "no agent has the e-mail \"dewi.lestary@acme.example\"" },
        { "a misspelt supervisor name", 7, "dewi-lestary", "H3 (Supervisor)", "did you mean \"dewi-lestari\"?" },
        { "a language that is not BCP 47", 8, "en_US", "I3 (Languages)", "\"en_US\" is not a BCP-47 language tag" },
        { "a second language that is not BCP 47", 8, "en, português", "I3 (Languages)", "\"português\" is not a BCP-47 language tag" },
        { "too many concurrent chats", 10, "99", "K3 (Max concurrent chats)", "99 is out of range" },
        { "a count that is not a number", 10, "four", "K3 (Max concurrent chats)", "\"four\"" },
        { "a count that is not whole", 10, "4.5", "K3 (Max concurrent chats)", "\"4.5\"" },
        { "a whole count out of range written as a decimal", 10, "99.0", "K3 (Max concurrent chats)", "99 is out of range" },
        { "an unknown capability", 11, "Chat, Fly", "L3 (Capabilities)", "\"Fly\" is not one of Live, Chat, Search, Reports, Engagement" },
        { "an active flag that is not a boolean", 12, "maybe", "M3 (Active)", "\"maybe\"" },
        { "a name that is not a DNS label", 0, "Ana Lima", "A3 (Name)", "\"Ana Lima\"" },
        { "a missing display name", 1, "", "B3 (Display name)", "required field \"displayName\" is missing" },
        { "a missing role", 4, "", "E3 (Role)", "required field \"roleRef\" is missing" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_invalid_cell_is_named_by_its_position_and_nothing_is_written(string why, int column, string value, string cell, string message)
    {
        var second = ValidRow.Replace("Ana Lima", "Bea Lima").Replace("ana.lima", "bea.lima");
        var bad = Csv.SetCell(second, column, value);
        var before = _workspace.Snapshot();
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), string.Join('\n', Header, ValidRow, bad) + "\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1, why + "\n" + run);
        run.Error.Should().Contain($"agents.csv {cell}: ", why).And.Contain(message, why);
        run.Error.Should().Contain("1 invalid row; nothing was written");
        _workspace.Snapshot().Should().BeEquivalentTo(before, "nothing is written while a row is invalid");
    }

    [Fact]
    public async Task An_agent_already_in_the_folder_is_named_by_its_manifest_within_the_folder_not_the_runners_path()
    {
        var row = Csv.SetCell(Csv.SetCell(Csv.SetCell(ValidRow, 0, "dewi-lestary"), 2, "dewi.lestari@acme.example"), 7, "lukas.becker@acme.example");
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), $"{Header}\n{row}\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("differs from \"dewi-lestari\", the name of the agent with this e-mail (agents/apac.yaml:3:1)")
            .And.NotContain(_workspace.Directory, "a CI log names the file in the repository, as validate does");
    }

    [Fact]
    public async Task A_wrong_group_by_is_one_line_naming_the_valid_values()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), $"{Header}\n{ValidRow}\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org", "--group-by", "team");

        run.ExitCode.Should().NotBe(0);
        run.Error.Trim().Should().Be("error: --group-by: 'team' is not valid; use one of: business-unit, supervisor");
    }

    [Fact]
    public async Task Every_problem_of_a_row_is_listed_in_column_order_not_only_the_first()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), $"{Header}\n,Bad One,ana@,+55,agnt,L7,suport,nobody@acme.example,xx_YY,,99,Fly,maybe\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        var lines = run.Error.Split('\n').Where(l => l.StartsWith("agents.csv ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToList();
        lines.Should().Equal("C2", "D2", "E2", "F2", "G2", "H2", "I2", "K2", "L2", "M2");
    }

    [Fact]
    public async Task An_existing_agents_email_under_another_name_is_refused_rather_than_renamed()
    {
        var renamed = Csv.SetCell(Csv.SetCell(ValidRow, 0, "someone-else"), 2, "budi.santoso@acme.example");
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), string.Join('\n', Header, renamed) + "\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("agents.csv A2 (Name): \"someone-else\" differs from \"budi-santoso\", the name of the agent with this e-mail");
    }

    [Fact]
    public async Task A_duplicate_email_points_at_both_cells_ignoring_case()
    {
        var twin = ValidRow.Replace("Ana Lima", "Ana Twin").Replace("ana.lima@", "ANA.LIMA@");
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), string.Join('\n', Header, ValidRow, twin) + "\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("agents.csv C3 (Email): \"ANA.LIMA@acme.example\" is already the e-mail in C2");
    }

    [Fact]
    public async Task An_unknown_header_is_refused_with_a_suggestion_before_any_row_is_read()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), Header.Replace("Email", "Emial") + "\n" + ValidRow + "\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("agents.csv C1: unknown column \"Emial\"; did you mean \"Email\"?");
    }

    [Fact]
    public async Task Skip_invalid_imports_the_valid_rows_and_lists_each_skipped_row()
    {
        var bad = Csv.SetCell(ValidRow.Replace("ana.lima", "bea.lima"), 5, "L9");
        var orphan = ValidRow.Replace("Ana Lima", "Cid Lima").Replace("ana.lima", "cid.lima").Replace("dewi.lestari@acme.example", "bea.lima@acme.example");
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), string.Join('\n', Header, ValidRow, bad, orphan) + "\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org", "--skip-invalid");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Error.Should().Contain("skipped row 3: agents.csv F3 (Level): \"L9\" is not one of L1, L2, L3, Expert");
        run.Error.Should().Contain("skipped row 4: agents.csv H4 (Supervisor)", "its supervisor was the skipped row");
        run.Output.Should().Contain("+ Agent/ana-lima (row 2)").And.Contain("1 to add, 0 changed, 0 unchanged, 2 skipped (invalid)");
        File.ReadAllText(Path.Combine(_workspace.Manifests, "agents", "support.yaml")).Should().Contain("ana.lima@acme.example").And.NotContain("bea.lima").And.NotContain("cid.lima");
    }

    [Fact]
    public async Task Skip_invalid_with_every_row_invalid_imports_nothing_and_exits_1_naming_each_cell_without_its_terminal_controls()
    {
        // The sheet's cells are quoted in the messages: an escape sequence in one must reach the terminal as text.
        var bad = Csv.SetCell(ValidRow, 5, "L9\u001b[2J");
        var worse = Csv.SetCell(ValidRow.Replace("ana.lima", "bea.lima"), 5, "L8");
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), string.Join('\n', Header, bad, worse) + "\n");
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org", "--skip-invalid");

        run.ExitCode.Should().Be(1, "nothing was imported because of errors: " + run);
        run.Error.Should().Contain("skipped row 2: agents.csv F2 (Level): \"L9\\u001B[2J\"").And.Contain("skipped row 3: agents.csv F3 (Level)").And.NotContain("\u001b");
        run.Output.Should().Contain("0 to add, 0 changed, 0 unchanged, 2 skipped (invalid); 0 files written.");
        _workspace.Snapshot().Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task A_value_in_a_column_without_a_header_is_named_rather_than_dropped_or_read_as_an_agent_with_every_field_missing()
    {
        // E2: a header cleared by mistake would lose the column's values unseen; G3: a note beside the table is no agent.
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), "Email,Display name,Role,Business units\nwes.note@acme.example,Wes Note,agent,support,+5511987650044\n,,,,,,call HR first\n");
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("agents.csv E2: \"+5511987650044\" is in a column without a header; give the column a header (Name, Display name, Email,")
            .And.Contain("agents.csv G3: \"call HR first\" is in a column without a header")
            .And.NotContain("missing");
        _workspace.Snapshot().Should().BeEquivalentTo(before);
    }

    public void Dispose() => _workspace.Dispose();
}

