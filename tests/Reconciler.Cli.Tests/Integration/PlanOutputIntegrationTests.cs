using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>Plans for pipelines: <c>-o json</c> against its published schema, saved plans, pull-request Markdown.</summary>
public sealed class PlanOutputIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";
    private const string Plan = "plan -f acme-support --platform-url {url}";

    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(TestRepository.Root, "docs", "plan-json.schema.json")));

    [Fact]
    public async Task The_json_plan_of_a_fresh_organisation_validates_against_the_published_schema_with_real_values()
    {
        await using var cli = await CliHarness.StartAsync();

        var run = await cli.RunAsync(Plan + " -o json");

        run.ExitCode.Should().Be(0, run.ToString());
        var plan = JsonNode.Parse(run.Output)!;
        AssertValid(plan);
        plan["format_version"]!.GetValue<string>().Should().Be("1.3");
        plan["diagnostics"]!.AsArray().Should().BeEmpty();
        var changes = plan["resource_changes"]!.AsArray();
        var emea = changes.Single(c => c!["address"]!.GetValue<string>() == "OfficeHours/support-emea")!;
        var weekly = emea["change"]!["fields"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == "spec.weekly")!;
        weekly["after"]![0]!["days"]!.AsArray().Select(d => d!.GetValue<string>()).Should().Equal("Monday", "Tuesday", "Wednesday", "Thursday", "Friday");
        weekly["before"].Should().BeNull();
        var agentFields = changes.Single(c => c!["address"]!.GetValue<string>() == "Agent/budi-santoso")!["change"]!["fields"]!.AsArray();
        var supervisor = agentFields.Single(f => f!["path"]!.GetValue<string>() == "spec.supervisorRef")!;
        (supervisor["after"]!.GetValue<string>(), supervisor["after_unknown"]!.GetValue<bool>()).Should().Be(("dewi-lestari", true));
        var secret = changes.SelectMany(c => c!["change"]!["fields"]!.AsArray()).First(f => f!["after_sensitive"]!.GetValue<bool>())!;
        secret["path"]!.GetValue<string>().Should().Be("spec.oidc.clientSecretRef");
        secret["after"].Should().BeNull();
        run.Output.Should().NotContain("(known after apply)").And.NotContain("(sensitive value").And.NotContain(CliHarness.Canary);
    }

    [Fact]
    public async Task The_json_plan_with_drift_and_errors_validates_and_reports_drift_apart()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await cli.EditAsync("agents", "maria.santos@acme.example", f => f["maxConcurrentChats"] = 9);
        cli.Variables.Remove("RECONCILER_SECRET_SSO_GOOGLE_CLIENTSECRET");

        var run = await cli.RunAsync(Plan + " -o json");
        var text = await cli.RunAsync(Plan);

        run.ExitCode.Should().Be(1, "a resource could not be planned");
        var plan = JsonNode.Parse(run.Output)!;
        AssertValid(plan);
        plan["errored"]!.GetValue<bool>().Should().BeTrue();
        plan["errors"]![0]!["reason"]!.GetValue<string>().Should().Be("SecretNotFound");
        plan["errors"]![0]!["source"]!["line"]!.GetValue<int>().Should().BePositive();
        var drift = plan["resource_drift"]!.AsArray().Should().ContainSingle().Subject!;
        (drift["address"]!.GetValue<string>(), drift["changed_by"]!.GetValue<string>()).Should().Be(("Agent/maria-santos", "alice@acme.example"));
        drift["fields"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("spec.maxConcurrentChats");
        text.Output.Should().NotContain("No changes").And.Contain("1 resource could not be planned");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" -o markdown")]
    public async Task A_resource_that_could_not_be_planned_is_named_by_its_file_relative_to_the_working_directory_as_in_json(string format)
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables.Remove("RECONCILER_SECRET_TELEGRAM_SUPPORT_BOT_TOKEN");

        var run = await cli.RunAsync(Plan + format);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Output.Should().Contain("SecretNotFound").And.Contain("acme-support/channels.yaml:")
            .And.NotContain(cli.Directory, "a CI log or a pull-request comment names the file in the repository, not on the runner");
    }

    [Fact]
    public async Task A_secret_that_is_not_found_is_located_at_its_reference_not_at_the_resource()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables.Remove("RECONCILER_SECRET_TELEGRAM_SUPPORT_BOT_TOKEN");
        var lines = File.ReadAllLines(Path.Combine(cli.Manifests, "channels.yaml"));
        var reference = Array.FindIndex(lines, l => l.TrimStart().StartsWith("tokenSecretRef: {name: telegram-support-bot", StringComparison.Ordinal)) + 1;

        var text = await cli.RunAsync(Plan);
        var json = await cli.RunAsync(Plan + " -o json");

        reference.Should().BePositive();
        text.ExitCode.Should().Be(1, text.ToString());
        text.Output.Should().Contain("SecretNotFound: spec.telegram.tokenSecretRef: ").And.Contain($"[acme-support/channels.yaml:{reference}:");
        var error = JsonNode.Parse(json.Output)!["errors"]!.AsArray().Should().ContainSingle().Subject!;
        (error["source"]!["file"]!.GetValue<string>(), error["source"]!["line"]!.GetValue<int>()).Should().Be(("acme-support/channels.yaml", reference));
    }

    [Theory]
    [InlineData(Plan + " -o json -out reviewed.plan")]
    [InlineData(Apply + " -o json")]
    public async Task Invalid_manifests_give_one_errored_json_document_naming_each_problem_and_nothing_planned(string arguments)
    {
        await using var cli = await CliHarness.StartAsync();
        var roles = Path.Combine(cli.Manifests, "roles.yaml");
        var lines = File.ReadAllLines(roles);
        var line = Array.FindIndex(lines, l => l == "  displayName: Team Lead") + 1;
        lines[line - 1] = "  displayName: 5";
        File.WriteAllLines(roles, lines);
        var audit = await cli.AuditCountAsync();

        var run = await cli.RunAsync(arguments);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain($"acme-support/roles.yaml:{line}:16: spec.displayName: expected a string", "people still read the problems on stderr");
        var plan = JsonNode.Parse(run.Output)!;
        AssertValid(plan);
        (plan["errored"]!.GetValue<bool>(), plan["applyable"]!.GetValue<bool>()).Should().Be((true, false));
        plan["resource_changes"]!.AsArray().Should().BeEmpty();
        var diagnostic = plan["diagnostics"]!.AsArray().Should().ContainSingle().Subject!;
        (diagnostic["file"]!.GetValue<string>(), diagnostic["line"]!.GetValue<int>(), diagnostic["column"]!.GetValue<int>(), diagnostic["path"]!.GetValue<string>(), diagnostic["code"]!.GetValue<string>())
            .Should().Be(("acme-support/roles.yaml", line, 16, "spec.displayName", "wrong-type"));
        File.Exists(Path.Combine(cli.Directory, "reviewed.plan")).Should().BeFalse();
        Directory.Exists(Path.Combine(cli.Directory, ".reconciler")).Should().BeFalse("invalid input writes nothing, not even apply's state lock");
        (await cli.AuditCountAsync()).Should().Be(audit, "nothing was applied");
    }

    [Fact]
    public async Task A_refused_apply_with_json_output_writes_the_refused_plan_on_stdout_and_nothing_on_the_platform()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        File.Delete(Path.Combine(cli.Manifests, "tag-groups.yaml"));
        var audit = await cli.AuditCountAsync();

        var apply = await cli.RunAsync(Apply + " --prune --max-deletes 1 -o json");

        apply.ExitCode.Should().Be(1, apply.ToString());
        apply.Error.Should().Contain("the plan breaks a safety limit; nothing was applied");
        var plan = JsonNode.Parse(apply.Output)!;
        AssertValid(plan);
        plan["applyable"]!.GetValue<bool>().Should().BeFalse();
        plan["refusals"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Contain(r => r.Contains("more than the limit of 1", StringComparison.Ordinal));
        (await cli.AuditCountAsync()).Should().Be(audit, "nothing was applied");
    }

    [Fact]
    public async Task A_run_that_stops_before_planning_for_its_own_reason_says_why_in_the_json_document()
    {
        await using var cli = await CliHarness.StartAsync();

        var run = await cli.RunAsync(Plan + " -o json --at next-tuesday");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Error.Should().Contain("error: --at 'next-tuesday' is neither");
        var plan = JsonNode.Parse(run.Output)!;
        AssertValid(plan);
        plan["errored"]!.GetValue<bool>().Should().BeTrue();
        var diagnostic = plan["diagnostics"]!.AsArray().Should().ContainSingle().Subject!;
        (diagnostic["code"]!.GetValue<string>(), diagnostic["file"]!.GetValue<string>(), diagnostic["line"]!.GetValue<int>()).Should().Be(("invalid-option", "", 0));
        diagnostic["message"]!.GetValue<string>().Should().StartWith("--at 'next-tuesday' is neither");
    }

    [Fact]
    public void The_schema_rejects_the_old_stringly_format()
    {
        var old = JsonNode.Parse("""{"hasChanges": true, "changes": [{"fields": [{"path": "weekly", "before": "[]", "after": "(known after apply)"}]}]}""");

        Schema.Evaluate(old).IsValid.Should().BeFalse();
    }

    [Fact]
    public void The_schema_names_every_guard_a_plan_can_report()
    {
        var names = JsonNode.Parse(File.ReadAllText(Path.Combine(TestRepository.Root, "docs", "plan-json.schema.json")))!
            ["properties"]!["guards"]!["items"]!["properties"]!["guard"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>());

        names.Should().BeEquivalentTo(Reconciler.Core.Guards.PlanGuards.All.Select(g => g.Name));
    }

    [Fact]
    public async Task A_saved_plan_applies_exactly_what_was_reviewed_without_asking()
    {
        await using var cli = await CliHarness.StartAsync();

        var plan = await cli.RunAsync(Plan + " -out reviewed.plan");
        var apply = await cli.RunAsync("apply reviewed.plan --platform-url {url}");
        var after = await cli.RunAsync(Plan + " --detailed-exitcode");

        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Error.Should().Contain("Saved the plan to reviewed.plan");
        File.ReadAllText(Path.Combine(cli.Directory, "reviewed.plan")).Should().NotContain(CliHarness.Canary);
        apply.ExitCode.Should().Be(0, apply.ToString());
        apply.Output.Should().Contain("Apply complete");
        after.ExitCode.Should().Be(0, after.ToString());
    }

    [Fact]
    public async Task A_saved_plan_applies_from_another_checkout_of_the_same_manifests()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Plan + " -out reviewed.plan")).ExitCode.Should().Be(0);
        var checkout = Path.Combine(cli.Directory, "other-checkout");
        foreach (var file in Directory.GetFiles(cli.Manifests, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(checkout, Path.GetRelativePath(cli.Directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        File.Copy(Path.Combine(cli.Directory, "reviewed.plan"), Path.Combine(checkout, "reviewed.plan"));

        var apply = await cli.RunInAsync(checkout, "apply reviewed.plan --platform-url {url}");

        apply.ExitCode.Should().Be(0, apply.ToString());
        apply.Output.Should().Contain("Apply complete");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" -o json")]
    public async Task A_saved_plan_applied_in_another_folder_says_that_the_plan_names_manifests_that_folder_lacks(string format)
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Plan + " -out reviewed.plan")).ExitCode.Should().Be(0);
        var elsewhere = Directory.CreateDirectory(Path.Combine(cli.Directory, "elsewhere")).FullName;

        var apply = await cli.RunInAsync(elsewhere, "apply ../reviewed.plan --platform-url {url}" + format);

        apply.ExitCode.Should().Be(1, apply.ToString());
        apply.Error.Trim().Should().Be($"error: the saved plan names the manifests acme-support, which are not in {elsewhere}; apply a saved plan in the folder 'plan -out' ran in. Nothing was applied.");
        if (format.Length > 0)
            JsonNode.Parse(apply.Output)!["diagnostics"]![0]!["code"]!.GetValue<string>().Should().Be("saved-plan-unusable");
        else
            apply.Output.Should().BeEmpty();
        (await cli.ListAsync("roles")).Should().OnlyContain(r => r.Fields["builtIn"]!.GetValue<bool>(), "nothing was applied");
    }

    [Fact]
    public async Task The_json_plan_names_source_files_relative_to_the_working_directory()
    {
        await using var cli = await CliHarness.StartAsync();

        var run = await cli.RunAsync(Plan + " -o json");

        var sources = JsonNode.Parse(run.Output)!["resource_changes"]!.AsArray().Select(c => c!["source"]!["file"]!.GetValue<string>()).ToList();
        sources.Should().Contain("acme-support/roles.yaml").And.OnlyContain(f => f.StartsWith("acme-support/", StringComparison.Ordinal));
        run.Output.Should().NotContain(cli.Directory);
    }

    [Theory]
    [InlineData("-f {outside}", "-f {outside} is outside the working directory")]
    [InlineData("-f acme-support --secrets-dir {outside}", "--secrets-dir {outside} is outside the working directory")]
    public async Task A_plan_that_could_not_be_saved_is_refused_before_anything_is_planned(string paths, string expected)
    {
        await using var cli = await CliHarness.StartAsync();
        var outside = Directory.CreateTempSubdirectory("reconciler-outside-").FullName;
        try
        {
            var plan = await cli.RunAsync($"plan {paths.Replace("{outside}", outside, StringComparison.Ordinal)} --platform-url {{url}} -out reviewed.plan");

            plan.ExitCode.Should().Be(1, plan.ToString());
            plan.Error.Should().Contain("error: cannot save the plan: " + expected.Replace("{outside}", outside, StringComparison.Ordinal));
            plan.Output.Should().BeEmpty("no plan is printed for one that cannot be kept");
            File.Exists(Path.Combine(cli.Directory, "reviewed.plan")).Should().BeFalse();
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Theory]
    [InlineData("error", "1 resource(s) could not be planned")]
    [InlineData("refusal", "it breaks a safety limit")]
    public async Task A_plan_with_errors_or_refusals_is_not_saved_and_an_older_saved_plan_is_left_alone(string problem, string expected)
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var file = Path.Combine(cli.Directory, "reviewed.plan");
        File.WriteAllText(file, "the plan reviewed earlier");
        var arguments = Plan + " -out reviewed.plan";
        if (problem == "error")
            cli.Variables.Remove("RECONCILER_SECRET_SSO_GOOGLE_CLIENTSECRET");
        else
        {
            File.Delete(Path.Combine(cli.Manifests, "tag-groups.yaml"));
            arguments += " --prune --max-deletes 1";
        }

        var plan = await cli.RunAsync(arguments);

        plan.ExitCode.Should().Be(1, plan.ToString());
        plan.Error.Should().Contain($"error: the plan was not saved to reviewed.plan: {expected}").And.NotContain("To apply exactly it");
        File.ReadAllText(file).Should().Be("the plan reviewed earlier");
        Directory.GetFiles(cli.Directory, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public async Task A_saved_plan_is_refused_when_the_platform_changed_since()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        File.WriteAllText(Path.Combine(cli.Manifests, "roles.yaml"), File.ReadAllText(Path.Combine(cli.Manifests, "roles.yaml")).Replace("displayName: Team Lead", "displayName: Team Leader", StringComparison.Ordinal));
        (await cli.RunAsync(Plan + " -out reviewed.plan")).ExitCode.Should().Be(0);
        await cli.EditAsync("agents", "maria.santos@acme.example", f => f["maxConcurrentChats"] = 9);
        var audit = await cli.AuditCountAsync();

        var apply = await cli.RunAsync("apply reviewed.plan --platform-url {url}");

        apply.ExitCode.Should().Be(1);
        apply.Error.Should().Contain("the platform changed since the plan was saved").And.Contain("run plan again");
        (await cli.AuditCountAsync()).Should().Be(audit, "nothing was applied");
    }

    [Fact]
    public async Task A_saved_plan_is_refused_when_the_manifests_changed_since()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Plan + " -out reviewed.plan")).ExitCode.Should().Be(0);
        File.AppendAllText(Path.Combine(cli.Manifests, "roles.yaml"), "\n# a late edit\n");

        var apply = await cli.RunAsync("apply reviewed.plan --platform-url {url}");

        apply.ExitCode.Should().Be(1);
        apply.Error.Should().Contain("the manifests changed since the plan was saved: acme-support/roles.yaml (changed)");
        (await cli.ListAsync("roles")).Should().OnlyContain(r => r.Fields["builtIn"]!.GetValue<bool>(), "nothing was applied");
    }

    [Theory]
    [InlineData("files", "/etc/passwd")]
    [InlineData("files", "../outside")]
    [InlineData("files", "acme-support/../../outside")]
    [InlineData("files", "escape")]
    [InlineData("secrets_dir", "/etc")]
    [InlineData("secrets_dir", "../secrets")]
    public async Task A_saved_plan_naming_a_path_outside_the_working_directory_is_refused_before_reading_it(string input, string path)
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Plan + " -out reviewed.plan")).ExitCode.Should().Be(0);
        var outside = Directory.CreateTempSubdirectory("reconciler-outside-").FullName;
        File.Copy(Path.Combine(cli.Manifests, "roles.yaml"), Path.Combine(outside, "roles.yaml"));
        File.CreateSymbolicLink(Path.Combine(cli.Directory, "escape"), outside);
        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(cli.Directory, "reviewed.plan")))!;
        saved["inputs"]![input] = input == "files" ? new JsonArray(JsonValue.Create(path)) : JsonValue.Create(path);
        File.WriteAllText(Path.Combine(cli.Directory, "reviewed.plan"), saved.ToJsonString());

        var apply = await cli.RunAsync("apply reviewed.plan --platform-url {url}");

        Directory.Delete(outside, recursive: true);
        apply.ExitCode.Should().Be(1);
        apply.Error.Trim().Should().StartWith("error: ").And.Contain($"'{path}', which is not a relative path inside the working directory");
        apply.Error.Trim().Split('\n').Should().ContainSingle();
        (await cli.ListAsync("roles")).Should().OnlyContain(r => r.Fields["builtIn"]!.GetValue<bool>(), "nothing was applied");
    }

    [Fact]
    public async Task A_saved_plan_never_chooses_the_platform_and_is_refused_for_another_one()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Plan + " -out reviewed.plan")).ExitCode.Should().Be(0);
        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(cli.Directory, "reviewed.plan")))!;
        saved["inputs"]!["platform_url"] = "http://127.0.0.1:9";
        File.WriteAllText(Path.Combine(cli.Directory, "reviewed.plan"), saved.ToJsonString());

        var apply = await cli.RunAsync("apply reviewed.plan --platform-url {url}");

        apply.ExitCode.Should().Be(1);
        apply.Error.Should().Contain("the plan was saved for http://127.0.0.1:9").And.Contain("Nothing was applied");
        (await cli.ListAsync("roles")).Should().OnlyContain(r => r.Fields["builtIn"]!.GetValue<bool>(), "nothing was applied");
    }

    [Fact]
    public async Task A_saved_plan_is_refused_when_a_secret_changed_since_although_the_plan_reads_the_same()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Plan + " -out reviewed.plan")).ExitCode.Should().Be(0);
        File.ReadAllText(Path.Combine(cli.Directory, "reviewed.plan")).Should().Contain("\"sso-google/clientSecret\": \"p2.").And.NotContain("google-secret");
        cli.Variables["RECONCILER_SECRET_SSO_GOOGLE_CLIENTSECRET"] = "google-secret-rotated";

        var apply = await cli.RunAsync("apply reviewed.plan --platform-url {url}");

        apply.ExitCode.Should().Be(1);
        apply.Error.Should().Contain("secrets changed since the plan was saved: sso-google/clientSecret").And.Contain("Nothing was applied");
        (await cli.ListAsync("roles")).Should().OnlyContain(r => r.Fields["builtIn"]!.GetValue<bool>(), "nothing was applied");
    }

    [Theory]
    [InlineData("not json at all", "is not a saved plan: not JSON at line 1, column 2 (write one with: reconciler plan -f DIR -out bad.plan)")]
    [InlineData("{\"kind\":\n  <!DOCTYPE plan [<!ENTITY x \"y\">]><plan>&x;</plan>", "is not a saved plan: not JSON at line 2, column 3 (write one with")]
    [InlineData("{\"kind\": \"été\",\n  \"日本\" x", "is not a saved plan: not JSON at line 2, column 8 (write one with")]
    [InlineData("[]", "is not a saved plan (write one with: reconciler plan -f DIR -out bad.plan)")]
    [InlineData("""{"kind": "something-else"}""", "is not a saved plan (write one with")]
    [InlineData("""{"kind": "reconciler-saved-plan", "format_version": "9.0", "inputs": {}, "plan": {}}""", "was saved in plan format \"9.0\", this reconciler reads 1.3 and older 1.x; run plan again")]
    [InlineData("""{"kind": "reconciler-saved-plan", "format_version": "1.999", "inputs": {}, "plan": {}}""", "was saved in plan format \"1.999\", this reconciler reads 1.3")]
    [InlineData("""{"kind": "reconciler-saved-plan", "format_version": "1.3.1", "inputs": {}, "plan": {}}""", "was saved in plan format \"1.3.1\", this reconciler reads 1.3")]
    [InlineData("""{"kind": "reconciler-saved-plan", "format_version": "1.\u001b[2J", "inputs": {}, "plan": {}}""", "was saved in plan format \"1.\\u001B[2J\"")]
    [InlineData("""{"kind": "reconciler-saved-plan", "format_version": null, "inputs": {}, "plan": {}}""", "has no plan format (format_version must be a string such as \"1.3\"), this reconciler reads 1.3")]
    [InlineData("""{"kind": "reconciler-saved-plan", "format_version": 1.2, "inputs": {}, "plan": {}}""", "has no plan format (format_version must be a string such as \"1.3\")")]
    [InlineData("""{"kind": "reconciler-saved-plan", "format_version": "1.0", "inputs": {}, "plan": {}}""", "is not a complete saved plan (inputs.options must be an object); run plan again")]
    [InlineData("""{"kind": "reconciler-saved-plan", "format_version": "1.0", "inputs": {"options": {}, "files": null}, "plan": {}}""", "is not a complete saved plan (inputs.files must be a list); run plan again")]
    [InlineData("""{"kind": "reconciler-saved-plan", "format_version": "1.0", "inputs": {"options": {}, "files": [5]}, "plan": {}}""", "(inputs.files[] must be a string)")]
    [InlineData("""{"kind": "reconciler-saved-plan", "format_version": "1.0", "inputs": {"options": {"prune": "yes"}, "files": [], "manifests": {}, "platform_digest": "x", "secret_fingerprints": {}}, "plan": {}}""", "(inputs.options.prune must be true or false)")]
    public async Task A_file_that_is_not_a_usable_saved_plan_is_refused_in_one_line(string content, string expected)
    {
        await using var cli = await CliHarness.StartAsync();
        File.WriteAllText(Path.Combine(cli.Directory, "bad.plan"), content);

        var apply = await cli.RunAsync("apply bad.plan --platform-url {url}");

        apply.ExitCode.Should().Be(1);
        apply.Error.Should().StartWith("error: bad.plan ", "the file is named as it was given").And.Contain(expected).And.NotContain("LineNumber").And.NotContain("DOCTYPE");
        apply.Error.Trim().Split('\n').Should().ContainSingle();
    }

    [Fact]
    public async Task A_saved_plan_larger_than_any_plan_is_refused_unread()
    {
        // A 50,000-agent plan from empty is about 200 MB: a file (or device) past 512 MiB is no saved plan.
        await using var cli = await CliHarness.StartAsync();
        var file = Path.Combine(cli.Directory, "huge.plan");
        using (var sparse = File.Create(file))
            sparse.SetLength((512L * 1024 * 1024) + 1);

        var apply = await cli.RunAsync("apply huge.plan --platform-url {url}");

        apply.ExitCode.Should().Be(1);
        apply.Error.Trim().Should().Be($"error: huge.plan holds more than 512 MiB, more than any saved plan; is it one? (write one with: reconciler plan -f DIR -out huge.plan)");
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/urandom")]
    public async Task A_device_given_as_the_saved_plan_is_refused_at_its_first_bytes(string device)
    {
        // Read to the 512 MiB limit first, each took 1.6 GB of memory and seconds to be told it is no plan.
        await using var cli = await CliHarness.StartAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var apply = await cli.RunAsync($"apply {device} --platform-url {{url}}");

        apply.ExitCode.Should().Be(1);
        apply.Error.Trim().Should().StartWith($"error: {device} is not a saved plan: not JSON at line 1, column ").And.NotContain("512 MiB");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_markdown_plan_has_a_summary_table_and_one_collapsible_section_per_resource()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await cli.EditAsync("agents", "maria.santos@acme.example", f => f["maxConcurrentChats"] = 9);
        File.WriteAllText(Path.Combine(cli.Manifests, "office-hours.yaml"), File.ReadAllText(Path.Combine(cli.Manifests, "office-hours.yaml")).Replace("opens: \"10:00\", closes: \"14:00\"", "opens: \"10:00\", closes: \"16:00\"", StringComparison.Ordinal));

        var run = await cli.RunAsync(Plan + " -o markdown");

        run.ExitCode.Should().Be(0, run.ToString());
        var md = run.Output;
        md.Should().StartWith("### Reconciler plan\n\n**Plan: 0 to add, 2 to change, 0 to delete.**");
        md.Should().Contain("> [!IMPORTANT]\n> **Drift: 1 object(s) were changed on the platform outside Reconciler");
        md.Should().Contain("| ~ update | `OfficeHours/support-emea` | office-hours `support-emea` | `spec.weekly` |");
        md.Should().Contain("<details><summary><code>~ Agent/maria-santos</code></summary>\n\n```diff\n!   Agent/maria-santos\n!       spec.maxConcurrentChats: 9 -> ");
        md.Should().Contain("!" + new string(' ', 15) + "closes: \"14:00\" -> \"16:00\"");
        md.IndexOf("[!IMPORTANT]", StringComparison.Ordinal).Should().BeLessThan(md.IndexOf("| Action |", StringComparison.Ordinal), "drift comes before the table");
    }

    private static void AssertValid(JsonNode plan)
    {
        var result = Schema.Evaluate(plan, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        result.IsValid.Should().BeTrue(JsonSerializer.Serialize(result.Details.Where(d => d.HasErrors).Take(5).Select(d => new { Path = d.InstanceLocation.ToString(), d.Errors })));
    }
}
