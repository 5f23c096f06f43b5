using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Reconciler.Core.Manifests;
using Reconciler.Core.Platform;
using Reconciler.Cli.Tests.Plumbing;
using Reconciler.Cli.Tests.Spreadsheets;

namespace Reconciler.Cli.Tests.Integration;

/// <summary><c>export --output-dir D</c> writes its files all or none, and only inside D, whatever D already holds.</summary>
public sealed class ExportIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";
    private const string Export = "export --output-dir exported --platform-url {url}";

    [Theory]
    [InlineData("a link out of the folder", "it leads to {directory}/victim.txt, outside {exported}")]
    [InlineData("a folder", "it is a folder, not a file")]
    [InlineData("a link to a pipe", "it is a named pipe, not a regular file")]
    public async Task A_file_that_cannot_be_replaced_inside_the_folder_is_named_and_nothing_is_written(string hazard, string reason)
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var exported = Path.Combine(cli.Directory, "exported");
        var victim = Path.Combine(cli.Directory, "victim.txt");
        Directory.CreateDirectory(exported);
        await File.WriteAllTextAsync(victim, "untouched");
        await File.WriteAllTextAsync(Path.Combine(exported, "roles.yaml"), "old roles");
        // Kinds are exported in dependency order: agents.yaml after five other files, roles.yaml among them.
        var agents = Path.Combine(exported, "agents.yaml");
        switch (hazard)
        {
            case "a link out of the folder":
                File.CreateSymbolicLink(agents, "../victim.txt");
                break;
            case "a folder":
                Directory.CreateDirectory(agents);
                break;
            case "a link to a pipe":
                FileNodes.Fifo(Path.Combine(exported, "pipe"));
                File.CreateSymbolicLink(agents, "pipe");
                break;
        }

        var before = Directory.GetFileSystemEntries(cli.Directory, "*", SearchOption.AllDirectories).Where(p => !p.Contains("platform.db", StringComparison.Ordinal)).ToList();

        var export = await cli.RunAsync(Export);

        export.ExitCode.Should().Be(1, export.ToString());
        export.Error.Should().Contain(
            $"cannot write {agents}: {reason.Replace("{directory}", cli.Directory, StringComparison.Ordinal).Replace("{exported}", exported, StringComparison.Ordinal)}; nothing was written\n");
        (await File.ReadAllTextAsync(victim)).Should().Be("untouched");
        (await File.ReadAllTextAsync(Path.Combine(exported, "roles.yaml"))).Should().Be("old roles");
        Directory.GetFileSystemEntries(cli.Directory, "*", SearchOption.AllDirectories).Where(p => !p.Contains("platform.db", StringComparison.Ordinal))
            .Should().BeEquivalentTo(before, "no other kind's file is written, and no temporary file is left");
    }

    [Fact]
    public async Task A_link_to_a_file_inside_the_folder_is_followed_and_stays_a_link()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var exported = Path.Combine(cli.Directory, "exported");
        Directory.CreateDirectory(Path.Combine(exported, "people"));
        File.CreateSymbolicLink(Path.Combine(exported, "agents.yaml"), "people/agents.yaml");

        var export = await cli.RunAsync(Export);

        export.ExitCode.Should().Be(0, export.ToString());
        FileNodes.TypeOf(Path.Combine(exported, "agents.yaml")).Should().Be("symbolic link");
        (await File.ReadAllTextAsync(Path.Combine(exported, "people", "agents.yaml"))).Should().Contain("kind: Agent");
        (await File.ReadAllTextAsync(Path.Combine(exported, "roles.yaml"))).Should().Contain("kind: Role");
    }

    [Fact]
    public async Task An_output_dir_that_is_a_file_is_refused_and_left_as_it_was()
    {
        await using var cli = await CliHarness.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(cli.Directory, "exported"), "a file");

        var export = await cli.RunAsync(Export);

        export.ExitCode.Should().Be(1, export.ToString());
        export.Error.Should().Contain($"cannot write to {Path.Combine(cli.Directory, "exported")}: it is a file, not a folder\n");
        (await File.ReadAllTextAsync(Path.Combine(cli.Directory, "exported"))).Should().Be("a file");
    }

    [Fact]
    public async Task The_note_names_every_secret_a_plan_of_the_export_needs()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);

        var export = await cli.RunAsync(Export);

        export.ExitCode.Should().Be(0, export.ToString());
        // The user follows the note: only the variables it names are set (the values are new, so the plan may push them).
        foreach (var variable in cli.Variables.Keys.Where(k => k.StartsWith("RECONCILER_SECRET_", StringComparison.Ordinal)).ToList())
            cli.Variables.Remove(variable);
        var named = Regex.Matches(export.Error, "RECONCILER_SECRET_[A-Z0-9_]+").Select(m => m.Value).ToList();
        foreach (var variable in named)
            cli.Variables[variable] = "value-of-" + variable;
        named.Should().Contain(["RECONCILER_SECRET_OKTA_CLIENTSECRET", "RECONCILER_SECRET_TELEGRAM_SUPPORT_TOKEN", "RECONCILER_SECRET_FIREBASE_PUSH_SERVICEACCOUNTKEY"],
            "the SSO client secrets, the Telegram bot's token and the organisation's Firebase key are all write-only: " + export.Error);

        var plan = await cli.RunAsync("plan -f exported --platform-url {url}");

        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().NotContain("SecretNotFound");
    }

    [Fact]
    public async Task More_agents_than_one_file_holds_continue_in_numbered_files_that_plan_reads_back_as_no_changes()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        var agents = (await cli.ListAsync("agents")).Count + ManifestLimits.Default.MaxDocumentsPerFile + 1;
        await CopyAgentAsync(cli, "maria.santos@acme.example", ManifestLimits.Default.MaxDocumentsPerFile + 1);
        var exported = Path.Combine(cli.Directory, "exported");

        var export = await cli.RunAsync(Export);
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        export.ExitCode.Should().Be(0, export.ToString());
        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("No changes.");
        Directory.GetFiles(exported, "agents*").Select(Path.GetFileName).Order(StringComparer.Ordinal).Should().Equal("agents.2.yaml", "agents.yaml");
        foreach (var file in Directory.GetFiles(exported))
            new FileInfo(file).Length.Should().BeLessThanOrEqualTo(ManifestLimits.Default.MaxFileBytes, file);
        var documents = Directory.GetFiles(exported, "agents*").Sum(f => Regex.Matches(File.ReadAllText(f), "^kind: Agent$", RegexOptions.Multiline).Count);
        documents.Should().Be(agents);
    }

    [Fact]
    public async Task A_continuation_an_earlier_larger_export_wrote_is_emptied_and_no_other_file_is_touched()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        var exported = Path.Combine(cli.Directory, "exported");
        (await cli.RunAsync(Export)).ExitCode.Should().Be(0);
        // What an earlier export of more agents and roles left: continuations declaring some of them again.
        var agents = await File.ReadAllTextAsync(Path.Combine(exported, "agents.yaml"));
        var roles = await File.ReadAllTextAsync(Path.Combine(exported, "roles.yaml"));
        await File.WriteAllTextAsync(Path.Combine(exported, "agents.2.yaml"), agents);
        await File.WriteAllTextAsync(Path.Combine(exported, "roles.13.yaml"), roles);
        var mine = new Dictionary<string, string>
        {
            ["agents.1.yaml"] = "# not a name export writes\n",
            ["agents.02.yaml"] = "# not a name export writes\n",
            ["agents.2.yml"] = "# not a name export writes\n",
            ["agents.extra.yaml"] = "# not a name export writes\n",
            ["README.md"] = "mine",
        };
        foreach (var (name, text) in mine)
            await File.WriteAllTextAsync(Path.Combine(exported, name), text);

        var export = await cli.RunAsync(Export);
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        export.ExitCode.Should().Be(0, export.ToString());
        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("No changes.");
        (await File.ReadAllTextAsync(Path.Combine(exported, "agents.yaml"))).Should().Be(agents);
        foreach (var stale in new[] { "agents.2.yaml", "roles.13.yaml" })
            (await File.ReadAllTextAsync(Path.Combine(exported, stale))).Should().StartWith("# Emptied by `reconciler export`").And.NotContain("kind:");
        foreach (var (name, text) in mine)
            (await File.ReadAllTextAsync(Path.Combine(exported, name))).Should().Be(text, $"export did not write {name}");
    }

    [Fact]
    public async Task A_kind_whose_every_object_was_deleted_since_the_last_export_is_exported_as_a_file_that_declares_nothing()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        var exported = Path.Combine(cli.Directory, "exported");
        (await cli.RunAsync(Export)).ExitCode.Should().Be(0);
        await File.WriteAllTextAsync(Path.Combine(exported, "README.md"), "mine");
        // An admin removes every agent, channel and reply template on the console; supervisors go last.
        foreach (var collection in new[] { "reply-templates", "channels", "agents" })
        {
            while (await cli.ListAsync(collection) is { Count: > 0 } left)
            {
                foreach (var o in left)
                    await cli.Alice.DeleteAsync(collection, o.Id, o.Version, new ChangeReason("console"), CancellationToken.None);
            }
        }

        var export = await cli.RunAsync(Export);
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        export.ExitCode.Should().Be(0, export.ToString());
        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("No changes.", "the platform's agents, channels and reply templates are gone, and no file of the export declares them");
        foreach (var emptied in new[] { "agents.yaml", "channels.yaml", "reply-templates.yaml" })
            (await File.ReadAllTextAsync(Path.Combine(exported, emptied))).Should().StartWith("# Emptied by `reconciler export`").And.NotContain("kind:");
        (await File.ReadAllTextAsync(Path.Combine(exported, "roles.yaml"))).Should().Contain("kind: Role");
        (await File.ReadAllTextAsync(Path.Combine(exported, "README.md"))).Should().Be("mine");
    }

    [Fact]
    public async Task An_agent_an_import_added_to_the_exported_folder_stays_declared_once_when_it_is_exported_again()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        var exported = Path.Combine(cli.Directory, "exported");
        (await cli.RunAsync(Export)).ExitCode.Should().Be(0);
        await File.WriteAllTextAsync(Path.Combine(cli.Directory, "new.csv"), "Display name,Email,Role,Business units,Languages\nZoe Novak,zoe.novak@acme.example,agent,support,en\n");
        var import = await cli.RunAsync("import -f new.csv --output-dir exported");
        import.ExitCode.Should().Be(0, import.ToString());
        (await cli.RunAsync("apply -f exported --auto-approve --platform-url {url}")).ExitCode.Should().Be(0);

        var again = await cli.RunAsync(Export);
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        again.ExitCode.Should().Be(0, again.ToString());
        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("No changes.");
        again.Error.Should().Contain("note: 1 object is declared in other files of exported and left there, not written again: Agent/zoe-novak (agents-support.yaml); plan -f exported shows any difference from the platform.");
        Directory.GetFiles(exported).Where(f => File.ReadAllText(f).Contains("zoe.novak@acme.example", StringComparison.Ordinal)).Select(Path.GetFileName)
            .Should().Equal("agents-support.yaml");
    }

    [Fact]
    public async Task Objects_a_file_of_ones_own_in_a_subfolder_declares_are_left_there_and_their_kinds_file_declares_nothing()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        var exported = Path.Combine(cli.Directory, "exported");
        (await cli.RunAsync(Export)).ExitCode.Should().Be(0);
        Directory.CreateDirectory(Path.Combine(exported, "mine"));
        File.Copy(Path.Combine(exported, "roles.yaml"), Path.Combine(exported, "mine", "roles.yaml"));

        var again = await cli.RunAsync(Export);
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        again.ExitCode.Should().Be(0, again.ToString());
        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("No changes.");
        (await File.ReadAllTextAsync(Path.Combine(exported, "roles.yaml"))).Should().StartWith("# Emptied by `reconciler export`").And.NotContain("kind:");
        again.Error.Should().MatchRegex(@"note: \d+ objects are declared in other files of exported and left there, not written again: Role/\S+ \(mine/roles\.yaml\), .* and \d+ more; plan -f exported shows");
    }

    [Fact]
    public async Task Objects_a_file_of_ones_own_with_an_upper_case_extension_declares_are_left_there()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        var exported = Path.Combine(cli.Directory, "exported");
        (await cli.RunAsync(Export)).ExitCode.Should().Be(0);
        File.Copy(Path.Combine(exported, "roles.yaml"), Path.Combine(exported, "Mine.YAML"));

        var again = await cli.RunAsync(Export);
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        again.ExitCode.Should().Be(0, again.ToString());
        plan.ExitCode.Should().Be(0, plan.ToString());
        (await File.ReadAllTextAsync(Path.Combine(exported, "roles.yaml"))).Should().NotContain("kind:");
    }

    [Theory]
    [InlineData("a link to a file in a subfolder")]
    [InlineData("the folder a link given as link/")]
    public async Task Export_again_keeps_its_own_files_objects_when_links_lead_to_them(string layout)
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        var exported = Path.Combine(cli.Directory, "exported");
        Directory.CreateDirectory(exported);
        var export = Export;
        var roles = Path.Combine(exported, "roles.yaml");
        if (layout == "a link to a file in a subfolder")
        {
            Directory.CreateDirectory(Path.Combine(exported, "people"));
            File.CreateSymbolicLink(roles, "people/roles.yaml");
            roles = Path.Combine(exported, "people", "roles.yaml");
        }
        else
        {
            await File.WriteAllTextAsync(Path.Combine(exported, "kustomization.yaml"), "resources:\n- roles.yaml\n");
            Directory.CreateSymbolicLink(Path.Combine(cli.Directory, "linked"), "exported");
            export = "export --output-dir linked/ --platform-url {url}";
        }

        (await cli.RunAsync(export)).ExitCode.Should().Be(0);
        var again = await cli.RunAsync(export);

        again.ExitCode.Should().Be(0, again.ToString());
        again.Error.Should().NotContain("declared in other files");
        (await File.ReadAllTextAsync(roles)).Should().Contain("kind: Role");
    }

    [Fact]
    public async Task A_managed_object_keeps_its_name_when_an_unmanaged_ones_key_reads_as_the_same_name()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        // Made on the console; its key sorts before the managed maria.santos@acme.example's and reads as the same name.
        var agent = (await cli.ListAsync("roles")).Single(r => r.Key == "agent").Id;
        var byHand = await cli.Alice.CreateAsync("agents", new JsonObject
        {
            ["email"] = "maria.santos@aaa.example", ["displayName"] = "Maria Santos (contractor)", ["roleId"] = agent,
        }, "hand-1", new ChangeReason("console"), CancellationToken.None);
        byHand.IsOk.Should().BeTrue(byHand.Message);

        var export = await cli.RunAsync(Export);
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        export.ExitCode.Should().Be(0, export.ToString());
        plan.Output.Should().Contain("<= Agent/maria-santos-2 (adopt existing agents \"maria.santos@aaa.example\")", "only the unmanaged agent is new to Reconciler")
            .And.Contain("Plan: 0 to add, 1 to change, 0 to delete.", "the managed maria-santos keeps its name, so nothing relabels it");
    }

    [Theory]
    [InlineData("office-hours", "OfficeHours", "support-apac", "support-asia")]
    [InlineData("roles", "Role", "analyst", "data-analyst")]
    [InlineData("tag-groups", "TagGroup", "priority", "urgency")]
    [InlineData("sso-providers", "SsoProvider", "partner-saml", "partner-sso")]
    [InlineData("business-units", "BusinessUnit", "billing", "payments")]
    [InlineData("channels", "Channel", "webchat-website", "webchat-site")]
    public async Task An_object_renamed_on_the_console_is_exported_under_its_new_name(string collection, string kind, string name, string renamed)
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        // Of these kinds the name is the platform's key: an admin renames the object, its ownership label stays.
        await cli.EditAsync(collection, name, body => body["name"] = renamed);

        var export = await cli.RunAsync(Export);
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        export.ExitCode.Should().Be(0, export.ToString());
        plan.ExitCode.Should().Be(2, plan.ToString());
        plan.Output.Should().Contain($"~ {kind}/{renamed}\n      ~ metadata.labels[reconciler.dev/source]: \"{kind}.{name}\" -> \"{kind}.{renamed}\"\n")
            .And.Contain("Plan: 0 to add, 1 to change, 0 to delete.", $"the export declares the {collection} the platform has, so nothing is created under the old name");
        plan.Output.Should().NotContain($"{kind}/{name}\n");
    }

    [KubectlFact]
    public async Task A_kustomization_listing_every_file_of_the_export_builds_what_plan_reads_also_once_a_file_is_emptied()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();
        var exported = Path.Combine(cli.Directory, "exported");
        (await cli.RunAsync(Export)).ExitCode.Should().Be(0);
        while (await cli.ListAsync("reply-templates") is { Count: > 0 } left)
        {
            foreach (var o in left)
                await cli.Alice.DeleteAsync("reply-templates", o.Id, o.Version, new ChangeReason("console"), CancellationToken.None);
        }

        (await cli.RunAsync(Export)).ExitCode.Should().Be(0);
        var documents = await Kustomize.BuildAsync(exported);
        var build = await SpreadsheetTools.RunAsync(Kustomize.Kubectl!, ["kustomize", exported], TimeSpan.FromMinutes(1));
        await File.WriteAllTextAsync(Path.Combine(cli.Directory, "rendered.yaml"), build.Output);
        var direct = await cli.RunAsync("plan -f exported --platform-url {url}");
        var rendered = await cli.RunAsync("plan -f rendered.yaml --detailed-exitcode --platform-url {url}");

        documents.Should().NotContain(d => Kustomize.Text(d, "kind") == "ReplyTemplate", "reply-templates.yaml, emptied, declares nothing");
        documents.Should().Contain(d => Kustomize.Text(d, "kind") == "Agent");
        rendered.ExitCode.Should().Be(0, rendered.ToString());
        rendered.Output.Should().Contain("No changes.");
        direct.ExitCode.Should().Be(1, "plan -f reads every YAML file of the folder as a manifest, kustomization.yaml too, as kubectl apply -f does");
        direct.Error.Should().Contain("exported/kustomization.yaml:");
    }

    /// <summary>
    /// <paramref name="copies"/> copies of one agent (copy-1@acme.example, …), managed as Agent copy-1, … are: written
    /// straight into the platform's database, as thousands of API creates would take minutes.
    /// </summary>
    private static async Task CopyAgentAsync(CliHarness cli, string email, int copies)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(cli.Directory, "platform.db")};Default Timeout=30");
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        const string numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $copies) ";
        const string source = "'reconciler.dev/source'";
        foreach (var sql in new[]
        {
            numbers + "INSERT INTO objects (id, collection, key, version, built_in, labels, doc, created_at, updated_at) " +
            "SELECT 'agt_copy' || i, collection, 'copy-' || i || '@acme.example', version, 0, " +
            "json_set(labels, '$.\"reconciler.dev/source\"', 'Agent.copy-' || i), " +
            "json_replace(json_set(doc, '$.id', 'agt_copy' || i, '$.email', 'copy-' || i || '@acme.example'), '$.key', 'copy-' || i || '@acme.example', '$.labels.\"reconciler.dev/source\"', 'Agent.copy-' || i), " +
            "created_at, updated_at FROM objects, n WHERE collection = 'agents' AND key = $email",
            numbers + "INSERT INTO object_labels (object_id, name, value) " +
            $"SELECT 'agt_copy' || i, name, CASE name WHEN {source} THEN 'Agent.copy-' || i ELSE value END " +
            "FROM object_labels JOIN objects ON objects.id = object_labels.object_id, n WHERE collection = 'agents' AND key = $email",
            numbers + "INSERT INTO object_refs (from_id, field, to_id) " +
            "SELECT 'agt_copy' || i, field, to_id FROM object_refs JOIN objects ON objects.id = object_refs.from_id, n WHERE collection = 'agents' AND key = $email",
        })
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$copies", copies);
            command.Parameters.AddWithValue("$email", email);
            (await command.ExecuteNonQueryAsync()).Should().BeGreaterThanOrEqualTo(copies, sql);
        }

        await transaction.CommitAsync();
    }
}
