using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>Import edits the manifests a person keeps in git: changed fields only, comments and order kept, new agents grouped.</summary>
public sealed class ImportEditTests : IDisposable
{
    private readonly SheetWorkspace _workspace = new();

    private string Apac => Path.Combine(_workspace.Manifests, "agents", "apac.yaml");

    [Fact]
    public async Task A_changed_row_changes_only_its_changed_lines_and_keeps_comments()
    {
        var before = await File.ReadAllTextAsync(Apac);
        await File.WriteAllTextAsync(_workspace.PathOf("edit.csv"), """
            Email;Level;Languages;Mobile;Supervisor;Categories
            budi.santoso@acme.example;L2;id, en, pt-BR;;;whatsapp, account
            dewi.lestari@acme.example;L3;id, en;+6281212345631;sofia.ramirez@acme.example;escalations, whatsapp

            """);

        var run = await _workspace.RunAsync("import", "-f", "edit.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("~ Agent/budi-santoso (row 2)").And.Contain("mobile, level, supervisorRef, languages").And.Contain("0 to add, 1 changed, 1 unchanged");
        var after = await File.ReadAllTextAsync(Apac);
        var documentsBefore = before.Split("---\n");
        var documentsAfter = after.Split("---\n");
        documentsAfter.Should().HaveSameCount(documentsBefore);
        var budi = Array.FindIndex(documentsBefore, d => d.Contains("budi.santoso@", StringComparison.Ordinal));
        documentsAfter.Where((d, i) => i != budi).Should().Equal(documentsBefore.Where((d, i) => i != budi), "the other agents are untouched");
        Diff(documentsBefore[budi], documentsAfter[budi]).Should().BeEquivalentTo(
        [
            "-  mobile: \"+6281212345632\"",
            "-  level: L1",
            "+  level: L2",
            "-  supervisorRef: {name: dewi-lestari}",
            "-  languages: [id, en]",
            "+  languages: [id, en, pt-BR]",
        ]);
        after.Should().StartWith(before[..before.IndexOf("# APAC support and onboarding", StringComparison.Ordinal)] + "# APAC support and onboarding", "the header comments are kept");
    }

    [Fact]
    public async Task Importing_the_same_sheet_twice_writes_nothing_the_second_time()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), "Email,Display name,Role,Business units,Languages\nnew.person@acme.example,New Person,agent,billing,\"en, es\"\nbudi.santoso@acme.example,Budi Santoso,agent,support,\"id, en\"\n");
        (await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org")).ExitCode.Should().Be(0);
        var snapshot = _workspace.Snapshot();

        var again = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        again.ExitCode.Should().Be(0);
        again.Output.Should().Contain("0 to add, 0 changed, 2 unchanged; 0 files written.");
        _workspace.Snapshot().Should().BeEquivalentTo(snapshot);
    }

    [Fact]
    public async Task New_agents_grouped_by_business_unit_get_a_file_with_a_header_naming_the_sheet()
    {
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), "Email,Display name,Role,Business units\nnew.one@acme.example,New One,agent,\"billing, support\"\nnew.two@acme.example,New Two,agent,billing\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        var text = await File.ReadAllTextAsync(Path.Combine(_workspace.Manifests, "agents", "billing.yaml"));
        text.Should().StartWith("# Agents of business unit billing, imported from agents.csv by `reconciler import`.");
        text.Should().Contain("name: new-one").And.Contain("name: new-two");
        (await _workspace.RunAsync("validate", "-f", _workspace.Manifests)).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task New_agents_grouped_by_supervisor_join_their_supervisors_file()
    {
        var before = await File.ReadAllTextAsync(Apac);
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), "Email,Display name,Role,Supervisor\nnew.one@acme.example,New One,agent,dewi.lestari@acme.example\nnew.two@acme.example,New Two,agent,new.one@acme.example\n");

        var run = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org", "--group-by", "supervisor");

        run.ExitCode.Should().Be(0, run.ToString());
        var after = await File.ReadAllTextAsync(Apac);
        after.Should().StartWith(before, "existing documents are left as they were").And.Contain("name: new-one").And.Contain("name: new-two");
        after[before.Length..].Should().StartWith("---\n");
    }

    [Fact]
    public async Task A_whole_count_written_as_a_decimal_is_that_number()
    {
        // pandas writes a count column with an empty cell as floats; Calc and Excel read 6.0 in a CSV as 6.
        await File.WriteAllTextAsync(_workspace.PathOf("edit.csv"), """
            Email,Max concurrent chats
            budi.santoso@acme.example,6.0
            dewi.lestari@acme.example,5.00

            """);

        var run = await _workspace.RunAsync("import", "-f", "edit.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("~ Agent/dewi-lestari (row 3) in ").And.Contain(": maxConcurrentChats").And.Contain("0 to add, 1 changed, 1 unchanged");
        (await File.ReadAllTextAsync(Apac)).Should().Contain("maxConcurrentChats: 5\n").And.Contain("maxConcurrentChats: 6\n").And.NotContain("maxConcurrentChats: 5.0");
    }

    /// <summary>Agent cid written as one line of JSON (kubectl's and jq's), as indented JSON, and in YAML's flow style.</summary>
    public static TheoryData<string, string> Cid => new()
    {
        { "one line of JSON", """{"apiVersion":"support.reconciler.dev/v1alpha1","kind":"Agent","metadata":{"name":"cid"},"spec":{"email":"cid@acme.example","displayName":"Cid","roleRef":{"name":"agent"},"languages":["en"]}}""" + "\n" },
        { "indented JSON", JsonNode.Parse("""{"apiVersion":"support.reconciler.dev/v1alpha1","kind":"Agent","metadata":{"name":"cid"},"spec":{"email":"cid@acme.example","displayName":"Cid","roleRef":{"name":"agent"},"languages":["en"]}}""")!.ToJsonString(new() { WriteIndented = true }) },
        { "a flow-style spec", "apiVersion: support.reconciler.dev/v1alpha1\nkind: Agent\nmetadata: {name: cid}\nspec: {email: cid@acme.example, displayName: Cid, roleRef: {name: agent}, languages: [en]}\n" },
    };

    [Theory]
    [MemberData(nameof(Cid))]
    public async Task A_JSON_or_flow_style_manifest_stays_valid_and_reads_back_as_the_sheet(string why, string manifest)
    {
        var file = Path.Combine(_workspace.Manifests, "cid.yaml");
        await File.WriteAllTextAsync(file, manifest);
        await File.WriteAllTextAsync(_workspace.PathOf("edit.csv"), "Email,Display name,Mobile,Languages,Categories\ncid@acme.example,Cid 2,+4915112345697,,y\n");

        var run = await _workspace.RunAsync("import", "-f", "edit.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("0 to add, 1 changed, 0 unchanged; 1 file written.");
        var validate = await _workspace.RunAsync("validate", "-f", _workspace.Manifests);
        validate.ExitCode.Should().Be(0, why + "\n" + validate);
        var text = await File.ReadAllTextAsync(file);
        text.Should().NotContain("null", "{0}: an emptied field is removed", why);
        var cid = ManifestLoader.Load([file]).OfType<Agent>().Single().Spec;
        (cid.Email, cid.DisplayName, cid.Mobile, cid.RoleRef.Name).Should().Be(("cid@acme.example", "Cid 2", "+4915112345697", "agent"), why);
        cid.Languages.Should().BeEmpty(why);
        cid.Categories.Should().Equal(["y"], why);
        if (manifest.StartsWith('{'))
            JsonNode.Parse(text)!["spec"]!["displayName"]!.GetValue<string>().Should().Be("Cid 2", "kubectl reads the file as JSON");
    }

    [Fact]
    public async Task A_manifest_an_edit_cannot_change_safely_in_place_is_refused_naming_it_and_nothing_is_written()
    {
        // The merge key supplies the level: removing a line cannot take it away, and the file would read as before.
        await File.WriteAllTextAsync(Path.Combine(_workspace.Manifests, "dan.yaml"), "apiVersion: support.reconciler.dev/v1alpha1\nkind: Agent\nmetadata: {name: dan}\nspec:\n  <<: {level: L2}\n  email: dan@acme.example\n  displayName: Dan\n  roleRef: {name: agent}\n");
        await File.WriteAllTextAsync(_workspace.PathOf("edit.csv"), "Email,Level,Categories\ndan@acme.example,,billing\nbudi.santoso@acme.example,L2,\n");
        var before = _workspace.Snapshot();

        var run = await _workspace.RunAsync("import", "-f", "edit.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("dan.yaml: cannot be edited in place: edited, Agent/dan would read spec.level other than the sheet asks")
            .And.Contain("Nothing was written: make the change in the file by hand, or write its documents in block-style YAML, and import again");
        _workspace.Snapshot().Should().BeEquivalentTo(before, "no file is written, the other agent's neither");
    }

    /// <summary>A display name with spaces or a tab around it, as a platform's console saves what was typed, and the cell a report writes for it.</summary>
    public static TheoryData<string, string, string, string?> SurroundingWhitespace => new()
    {
        { "the report's cell, as it is", "  Budi Santoso ", "  Budi Santoso ", null },
        { "the report's cell of a leading tab, in CSV after its apostrophe", "\tBudi Santoso", "'\tBudi Santoso", null },
        { "the cell with its spaces removed", " Budi Santoso ", "Budi Santoso", "Budi Santoso" },
        { "a stray space typed around a new value", "Budi Santoso", " Budi S. Santoso ", "Budi S. Santoso" },
    };

    [Theory]
    [MemberData(nameof(SurroundingWhitespace))]
    public async Task Whitespace_around_a_cell_is_dropped_unless_the_cell_is_exactly_the_agents_value(string why, string manifest, string cell, string? imported)
    {
        var before = await File.ReadAllTextAsync(Apac);
        await File.WriteAllTextAsync(Apac, before.Replace("displayName: Budi Santoso\n", $"displayName: \"{manifest.Replace("\t", "\\t", StringComparison.Ordinal)}\"\n", StringComparison.Ordinal));
        var written = ManifestLoader.Load([Apac]).OfType<Agent>().Single(a => a.Metadata.Name == "budi-santoso").Spec.DisplayName;
        written.Should().Be(manifest, why);
        var csv = _workspace.PathOf("edit.csv");
        await File.WriteAllTextAsync(csv, $"Email,Display name\nbudi.santoso@acme.example,\"{cell}\"\n");

        var run = await _workspace.RunAsync("import", "-f", "edit.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(0, run.ToString());
        var after = ManifestLoader.Load([Apac]).OfType<Agent>().Single(a => a.Metadata.Name == "budi-santoso").Spec.DisplayName;
        after.Should().Be(imported ?? manifest, why);
        run.Output.Should().Contain(imported is null ? "0 changed, 1 unchanged" : "1 changed, 0 unchanged", why);
    }

    [Theory]
    [InlineData("more documents than a file may hold", 10_050, 0)]
    [InlineData("more bytes than a file may hold", 6_000, 6)]
    public async Task New_agents_of_one_group_beyond_what_a_file_may_hold_continue_in_another_file_that_validate_reads(string why, int rows, int categories)
    {
        var csv = new StringBuilder("Email,Display name,Role,Business units,Categories\n");
        for (var i = 0; i < rows; i++)
            csv.Append(CultureInfo.InvariantCulture, $"many{i}@acme.example,Many {i},agent,support,\"{string.Join(", ", Enumerable.Range(0, categories).Select(k => $"{k}{new string('c', 99)}"))}\"\n");
        await File.WriteAllTextAsync(_workspace.PathOf("many.csv"), csv.ToString());

        var run = await _workspace.RunAsync("import", "-f", "many.csv", "--output-dir", "org");

        run.ExitCode.Should().Be(0, why + "\n" + run.Error);
        run.Output.Should().Contain("-> org/agents/support.2.yaml", why);
        var validate = await _workspace.RunAsync("validate", "-f", _workspace.Manifests);
        validate.ExitCode.Should().Be(0, why + ": the folder import wrote is one the loader reads\n" + validate);
        var agents = ManifestLoader.Load([_workspace.Manifests]).OfType<Agent>().Where(a => a.Metadata.Name.StartsWith("many", StringComparison.Ordinal)).ToList();
        agents.Should().HaveCount(rows, why);
        agents.Select(a => Path.GetFileName(a.Source!.File)).Distinct().Should().BeEquivalentTo(["support.yaml", "support.2.yaml"], why);
        (await File.ReadAllTextAsync(Path.Combine(_workspace.Manifests, "agents", "support.2.yaml"))).Should().StartWith("# Agents of business unit support, imported from many.csv", why);
    }

    private static List<string> Diff(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        return [.. a.Except(b).Select(l => "-" + l).Concat(b.Except(a).Select(l => "+" + l))];
    }

    public void Dispose() => _workspace.Dispose();
}
