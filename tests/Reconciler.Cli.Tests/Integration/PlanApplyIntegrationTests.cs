using System.Text.Json.Nodes;
using Reconciler.Core.Platform;
using Reconciler.Platform;

namespace Reconciler.Cli.Tests.Integration;

public sealed class PlanApplyIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";
    private const string Plan = "plan -f acme-support --detailed-exitcode --platform-url {url}";

    private const string ExtraAgents = """
        apiVersion: support.reconciler.dev/v1alpha1
        kind: Agent
        metadata: {name: temp-one}
        spec: {email: temp.one@acme.example, displayName: Temp One, roleRef: {name: agent}, languages: [en]}
        ---
        apiVersion: support.reconciler.dev/v1alpha1
        kind: Agent
        metadata: {name: temp-two}
        spec: {email: temp.two@acme.example, displayName: Temp Two, roleRef: {name: agent}, languages: [en]}
        """;

    [Fact]
    public async Task In_a_folder_applied_from_before_apply_plans_from_an_observation_made_while_loading_and_an_invalid_run_writes_nothing()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var state = Path.Combine(cli.Directory, ".reconciler");
        File.Exists(Path.Combine(state, "state.lock")).Should().BeTrue("the first apply made the lock file the next ones hold from their start");
        await File.WriteAllTextAsync(Path.Combine(cli.Manifests, "temp-agents.yaml"), ExtraAgents);

        var second = await cli.RunAsync(Apply);

        second.ExitCode.Should().Be(0, second.ToString());
        second.Output.Should().Contain("Plan: 2 to add, 0 to change, 0 to delete").And.Contain("Apply complete: 2 created");
        (await cli.RunAsync(Plan)).ExitCode.Should().Be(0, "the platform matches");

        var roles = Path.Combine(cli.Manifests, "roles.yaml");
        await File.WriteAllTextAsync(roles, (await File.ReadAllTextAsync(roles)).Replace("  displayName: Team Lead", "  displayName: 5", StringComparison.Ordinal));
        var before = Directory.EnumerateFileSystemEntries(state).Order(StringComparer.Ordinal).Select(p => (Path.GetFileName(p), File.GetLastWriteTimeUtc(p))).ToList();
        var audit = await cli.AuditCountAsync();

        var invalid = await cli.RunAsync(Apply);

        invalid.ExitCode.Should().Be(1, invalid.ToString());
        invalid.Error.Should().Contain("spec.displayName: expected a string");
        Directory.EnumerateFileSystemEntries(state).Order(StringComparer.Ordinal).Select(p => (Path.GetFileName(p), File.GetLastWriteTimeUtc(p)))
            .Should().Equal(before, "the lock held from the start is let go with nothing written");
        (await cli.AuditCountAsync()).Should().Be(audit);
    }

    [Fact]
    public async Task ApplyingTheExample_ThenPlanning_ShowsNoChangesAndWritesNothing()
    {
        await using var cli = await CliHarness.StartAsync();

        var first = await cli.RunAsync(Apply);
        first.ExitCode.Should().Be(0, first.ToString());
        first.Output.Should().Contain("Plan: ").And.Contain("Apply complete");
        var audit = await cli.AuditCountAsync();

        var plan = await cli.RunAsync(Plan);
        var again = await cli.RunAsync(Apply);

        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("No changes. The platform matches the manifests.");
        again.ExitCode.Should().Be(0);
        (await cli.AuditCountAsync()).Should().Be(audit, "an unchanged run writes nothing");
        var events = (await cli.Bot.ListAuditEventsAsync(new AuditQuery(), CancellationToken.None)).Value!;
        events.Where(e => e.Actor == "reconciler-bot").Should().OnlyContain(e => e.Reason!.StartsWith("reconciler: ", StringComparison.Ordinal) && e.Reason.Contains("acme-support", StringComparison.Ordinal));
        cli.AssertNoCanary();
    }

    [Fact]
    public async Task AnApplyFromAGitCheckout_NamesTheManifestsCommitInEveryWritesAuditReason()
    {
        await using var cli = await CliHarness.StartAsync();
        var commit = GitCheckout.CommitEverything(cli.Manifests);

        var apply = await cli.RunAsync(Apply);

        apply.ExitCode.Should().Be(0, apply.ToString());
        var events = (await cli.Bot.ListAuditEventsAsync(new AuditQuery(), CancellationToken.None)).Value!.Where(e => e.Actor == "reconciler-bot").ToList();
        events.Should().NotBeEmpty().And.OnlyContain(e => e.Reason!.EndsWith($" git {commit}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryWritesAuditReason_NamesItsManifestRelativeToTheWorkingDirectory_AsThePlanDoes()
    {
        await using var cli = await CliHarness.StartAsync();

        var apply = await cli.RunAsync(Apply);

        apply.ExitCode.Should().Be(0, apply.ToString());
        var events = (await cli.Bot.ListAuditEventsAsync(new AuditQuery(), CancellationToken.None)).Value!.Where(e => e.Actor == "reconciler-bot").ToList();
        events.Should().NotBeEmpty();
        events.Should().OnlyContain(e => System.Text.RegularExpressions.Regex.IsMatch(e.Reason!, @"^reconciler: [a-z]+ [A-Za-z]+/[a-z0-9-]+ \(acme-support/[^()/][^()]*\.yaml\)$"),
            "the runner's absolute path is no file in the repository: " + string.Join("; ", events.Select(e => e.Reason).Distinct().Take(3)));
    }

    [Fact]
    public async Task ADriftedField_IsShownWithItsAuthor_AndApplyCorrectsIt()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await cli.EditAsync("agents", "maria.santos@acme.example", f => f["maxConcurrentChats"] = 9);

        var plan = await cli.RunAsync(Plan);
        var json = await cli.RunAsync(Plan + " -o json");
        var apply = await cli.RunAsync(Apply);
        var after = await cli.RunAsync(Plan);

        plan.ExitCode.Should().Be(2, plan.ToString());
        plan.Output.Should().Contain("~ Agent/maria-santos").And.Contain("maxConcurrentChats: 9 -> ").And.Contain("drift: changed on the platform by alice@acme.example");
        JsonNode.Parse(json.Output)!["resource_drift"]![0]!["changed_by"]!.GetValue<string>().Should().Be("alice@acme.example");
        apply.ExitCode.Should().Be(0, apply.ToString());
        after.ExitCode.Should().Be(0, after.ToString());
        cli.AssertNoCanary();
    }

    private const string DriftReverted = "Drift: reverted (the PlatformConnection asks for driftPolicy: Report, which is the operator's policy; the CLI applies the manifests and reverts drift whatever it says).";

    [Theory]
    [InlineData("driftPolicy: Report", "text", true)]
    [InlineData("driftPolicy: Report", "json", true)]
    [InlineData("driftPolicy: Correct", "text", false)]
    [InlineData("driftPolicy: Correct", "json", false)]
    [InlineData("", "text", false)]
    public async Task A_drifted_field_is_planned_for_revert_whatever_driftPolicy_says_and_the_header_says_so_when_it_says_Report(string policy, string format, bool stated)
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await cli.EditAsync("agents", "maria.santos@acme.example", f => f["maxConcurrentChats"] = 9);
        var connection = Path.Combine(cli.Manifests, "platform-connection.yaml");
        await File.WriteAllTextAsync(connection, (await File.ReadAllTextAsync(connection)).Replace("driftPolicy: Correct", policy, StringComparison.Ordinal));

        var plan = await cli.RunAsync($"{Plan} -o {format}");

        plan.ExitCode.Should().Be(2, plan.ToString());
        // As the prune settings: the first line of a text plan, on standard error beside a machine format.
        var header = (format == "text" ? plan.Output : plan.Error).Split('\n').Single(l => l.StartsWith("Prune: ", StringComparison.Ordinal));
        if (stated)
            header.Should().EndWith(" " + DriftReverted);
        else
            header.Should().NotContain("Drift");
        if (format == "text")
        {
            plan.Output.Should().StartWith(header).And.Contain("maxConcurrentChats: 9 -> ").And.Contain("drift: changed on the platform by alice@acme.example");
        }
        else
        {
            var json = JsonNode.Parse(plan.Output)!;
            json["resource_drift"]![0]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Contain("spec.maxConcurrentChats");
            json["resource_changes"]!.AsArray().Should().Contain(c => c!["address"]!.GetValue<string>() == "Agent/maria-santos");
        }
    }

    [Fact]
    public async Task Under_driftPolicy_Report_apply_and_a_saved_plans_apply_say_so_and_revert_the_drift()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var connection = Path.Combine(cli.Manifests, "platform-connection.yaml");
        await File.WriteAllTextAsync(connection, (await File.ReadAllTextAsync(connection)).Replace("driftPolicy: Correct", "driftPolicy: Report", StringComparison.Ordinal));

        await cli.EditAsync("agents", "maria.santos@acme.example", f => f["maxConcurrentChats"] = 9);
        var apply = await cli.RunAsync(Apply);
        await cli.EditAsync("agents", "maria.santos@acme.example", f => f["maxConcurrentChats"] = 9);
        var saved = await cli.RunAsync("plan -f acme-support --platform-url {url} -out org.plan");
        var applySaved = await cli.RunAsync("apply org.plan --platform-url {url}");

        apply.ExitCode.Should().Be(0, apply.ToString());
        apply.Output.Should().Contain(DriftReverted);
        saved.ExitCode.Should().Be(0, saved.ToString());
        applySaved.ExitCode.Should().Be(0, applySaved.ToString());
        applySaved.Output.Should().Contain("(as saved with the plan). " + DriftReverted);
        (await cli.ListAsync("agents")).Single(a => a.Key == "maria.santos@acme.example").Fields["maxConcurrentChats"]!.GetValue<int>().Should().NotBe(9);
    }

    [Fact]
    public async Task A_saved_plans_hint_names_the_platform_url_so_the_command_it_gives_applies_the_plan()
    {
        await using var cli = await CliHarness.StartAsync();

        var saved = await cli.RunAsync("plan -f acme-support --platform-url {url} -out org.plan");
        var hint = saved.Error.Split('\n').Single(l => l.StartsWith("Saved the plan to org.plan.", StringComparison.Ordinal));
        var suggested = hint[(hint.IndexOf("reconciler apply ", StringComparison.Ordinal) + "reconciler ".Length)..];
        var applied = await cli.RunAsync(suggested);

        saved.ExitCode.Should().Be(0, saved.ToString());
        suggested.Should().Be($"apply org.plan --platform-url {cli.Platform.BaseUrl}");
        applied.ExitCode.Should().Be(0, applied.ToString());
        applied.Output.Should().Contain("Apply complete");
    }

    [Theory]
    [InlineData("it's the org plan.plan", "")]
    [InlineData("$(touch pwned) `touch pwned`;touch pwned&|*.plan", "")]
    [InlineData("-out.plan", "")]
    [InlineData("org.plan", "?tenant=acme&x=$(touch pwned)")]
    public async Task A_saved_plans_hint_run_by_a_shell_applies_that_plan_whatever_its_file_or_url_holds(string file, string query)
    {
        if (OperatingSystem.IsWindows())
            return; // POSIX sh.
        await using var cli = await CliHarness.StartAsync();
        var url = cli.Platform.BaseUrl + query;

        var saved = await cli.RunAsync(["plan", "-f", "acme-support", "--platform-url", url, "--out", file]);
        var hint = saved.Error.Split('\n').Single(l => l.StartsWith("Saved the plan to ", StringComparison.Ordinal));
        var command = hint[(hint.IndexOf(": reconciler apply ", StringComparison.Ordinal) + 2)..];
        // The hint pasted into a shell, with a reconciler that only says which words it was given.
        var words = Shell(cli.Directory, "reconciler() { printf '%s\\0' \"$@\"; }; " + command);
        var applied = await cli.RunAsync(words);

        saved.ExitCode.Should().Be(0, saved.ToString());
        words.Should().Equal("apply", file.StartsWith('-') ? "./" + file : file, "--platform-url", url);
        File.Exists(Path.Combine(cli.Directory, "pwned")).Should().BeFalse("the hint runs no part of a name");
        applied.ExitCode.Should().Be(0, applied.ToString());
        applied.Output.Should().Contain("Apply complete");
    }

    [Fact]
    public async Task Prune_DeletesOnlyMarkedObjects_WithinItsSafetyLimits()
    {
        await using var cli = await CliHarness.StartAsync();
        var extra = Path.Combine(cli.Manifests, "agents", "extra.yaml");
        await File.WriteAllTextAsync(extra, ExtraAgents);
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var byHand = await cli.Alice.CreateAsync("agents", new JsonObject
        {
            ["email"] = "by.hand@acme.example", ["displayName"] = "By Hand", ["roleId"] = (await cli.ListAsync("roles")).Single(r => r.Key == "agent").Id,
        }, "hand-1", new ChangeReason("console"), CancellationToken.None);
        byHand.IsOk.Should().BeTrue(byHand.Message);
        File.Delete(extra);

        var kept = await cli.RunAsync(Plan);
        var limited = await cli.RunAsync(Plan + " --prune --max-deletes 1");
        var pruned = await cli.RunAsync(Apply + " --prune");

        kept.ExitCode.Should().Be(0, kept.ToString());
        kept.Output.Should().Contain("Not in manifests").And.Contain("Agent/temp-one").And.NotContain("by.hand");
        limited.ExitCode.Should().Be(1);
        limited.Output.Should().Contain("Refused: prune would delete 2 objects, more than the limit of 1");
        pruned.ExitCode.Should().Be(0, pruned.ToString());
        pruned.Output.Should().Contain("- Agent/temp-one").And.Contain("Deleted   Agent/temp-two");
        var agents = (await cli.ListAsync("agents")).Select(a => a.Key).ToList();
        agents.Should().Contain("by.hand@acme.example").And.NotContain("temp.one@acme.example");
    }

    [Fact]
    public async Task Prune_refuses_before_writing_to_delete_a_role_that_an_agent_made_by_hand_still_holds()
    {
        // The platform answers such a delete 409 "still referenced": apply wrote the plan's other changes, then failed on it.
        await using var cli = await CliHarness.StartAsync();
        var extra = Path.Combine(cli.Manifests, "temp-role.yaml");
        await File.WriteAllTextAsync(extra, """
            apiVersion: support.reconciler.dev/v1alpha1
            kind: Role
            metadata: {name: temp-role}
            spec: {displayName: Temp, permissions: [inbox.view]}
            """);
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var byHand = await cli.Alice.CreateAsync("agents", new JsonObject
        {
            ["email"] = "by.hand@acme.example", ["displayName"] = "By Hand", ["roleId"] = (await cli.ListAsync("roles")).Single(r => r.Key == "temp-role").Id,
        }, "hand-1", new ChangeReason("console"), CancellationToken.None);
        byHand.IsOk.Should().BeTrue(byHand.Message);
        File.Delete(extra);
        await cli.EditAsync("agents", "maria.santos@acme.example", f => f["maxConcurrentChats"] = 9);

        var pruned = await cli.RunAsync(Apply + " --prune");

        pruned.ExitCode.Should().Be(1, pruned.ToString());
        pruned.Output.Should().Contain("Refused: prune would delete Role/temp-role, which agents/by.hand@acme.example (roleId) still references after this plan; "
            + "the platform refuses to delete an object in use").And.NotContain("Failed ");
        (await cli.ListAsync("roles")).Select(r => r.Key).Should().Contain("temp-role");
        (await cli.ListAsync("agents")).Single(a => a.Key == "maria.santos@acme.example").Fields["maxConcurrentChats"]!.GetValue<int>().Should().Be(9, "a refused plan writes nothing");
    }

    [Fact]
    public async Task A_PlatformConnection_cannot_turn_prune_on_or_raise_the_delete_limit_but_may_lower_it()
    {
        await using var cli = await CliHarness.StartAsync();
        var extra = Path.Combine(cli.Manifests, "agents", "extra.yaml");
        await File.WriteAllTextAsync(extra, ExtraAgents);
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        File.Delete(extra);
        var connection = Path.Combine(cli.Manifests, "platform-connection.yaml");
        var original = await File.ReadAllTextAsync(connection);
        await File.WriteAllTextAsync(connection, original.Replace("prune: false", "prune: true", StringComparison.Ordinal).Replace("maxDeletes: 10", "maxDeletes: 1000", StringComparison.Ordinal));

        var sneaky = await cli.RunAsync(Apply);

        sneaky.ExitCode.Should().Be(0, sneaky.ToString());
        sneaky.Output.Should().Contain("Prune: off (the PlatformConnection asks for prune: true; only --prune turns it on); max deletes: 10 (default; the PlatformConnection's 1000 needs --max-deletes to apply).");
        sneaky.Output.Should().NotContain("Deleted ");
        (await cli.ListAsync("agents")).Select(a => a.Key).Should().Contain("temp.one@acme.example");

        await File.WriteAllTextAsync(connection, original.Replace("maxDeletes: 10", "maxDeletes: 1", StringComparison.Ordinal));
        var lowered = await cli.RunAsync(Plan + " --prune");
        lowered.ExitCode.Should().Be(1, lowered.ToString());
        lowered.Output.Should().Contain("Prune: on (--prune); max deletes: 1 (PlatformConnection maxDeletes).").And.Contain("more than the limit of 1");

        var zero = await cli.RunAsync(Plan + " --prune --max-deletes 0");
        zero.ExitCode.Should().NotBe(0);
        zero.ToString().Should().Contain("--max-deletes must be at least 1");

        // The manifest's 0 (the CRD's minimum) means no deletes at all, not one.
        await File.WriteAllTextAsync(connection, original.Replace("maxDeletes: 10", "maxDeletes: 0", StringComparison.Ordinal));
        var none = await cli.RunAsync(Apply + " --prune");
        none.ExitCode.Should().Be(1, none.ToString());
        none.Output.Should().Contain("Prune: on (--prune); max deletes: 0 (PlatformConnection maxDeletes).").And.Contain("more than the limit of 0");
        (await cli.ListAsync("agents")).Select(a => a.Key).Should().Contain("temp.one@acme.example");
    }

    [Fact]
    public async Task AnExistingUnmarkedObject_IsAdoptedAndMarked()
    {
        await using var cli = await CliHarness.StartAsync();
        var created = await cli.Alice.CreateAsync("roles", new JsonObject
        {
            ["name"] = "analyst", ["displayName"] = "Analyst (by hand)", ["permissions"] = new JsonArray("reports.view"),
        }, "hand-2", new ChangeReason("console"), CancellationToken.None);
        created.IsOk.Should().BeTrue(created.Message);

        var plan = await cli.RunAsync(Plan);
        var apply = await cli.RunAsync(Apply);

        plan.Output.Should().Contain("<= Role/analyst");
        apply.Output.Should().Contain("Adopted   Role/analyst");
        var analyst = (await cli.ListAsync("roles")).Single(r => r.Key == "analyst");
        analyst.Id.Should().Be(created.Value!.Id);
        analyst.Labels.Should().Contain("reconciler.dev/managed-by", "reconciler");
    }

    [Fact]
    public async Task InvalidManifests_AreRejectedBeforeAnythingIsSent()
    {
        await using var cli = await CliHarness.StartAsync();
        await File.AppendAllTextAsync(Path.Combine(cli.Manifests, "agents", "sales.yaml"), "\n---\n" + ExtraAgents.Replace("roleRef: {name: agent}", "roleRef: {name: no-such-role}", StringComparison.Ordinal));
        var audit = await cli.AuditCountAsync();

        var plan = await cli.RunAsync(Plan);

        plan.ExitCode.Should().Be(1);
        plan.Error.Should().Contain("no-such-role").And.Contain("sales.yaml:");
        (await cli.AuditCountAsync()).Should().Be(audit);
    }

    [Fact]
    public async Task Apply_WithoutATerminalOrAutoApprove_Refuses()
    {
        await using var cli = await CliHarness.StartAsync();

        var run = await cli.RunAsync("apply -f acme-support --platform-url {url}");

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("--auto-approve");
        (await cli.ListAsync("agents")).Should().BeEmpty();
    }

    [Fact]
    public async Task UnderThirtyPercent503s_ApplyConvergesWithOneObjectPerKey()
    {
        await using var cli = await CliHarness.StartAsync(new FaultInjectionOptions { ServiceUnavailableRate = 0.3, RetryAfterSeconds = 0, DropAfterCommitRate = 0.05, Seed = 7 });

        var apply = await cli.RunAsync(Apply);
        if (apply.ExitCode != 0)
            apply = await cli.RunAsync(Apply);

        apply.ExitCode.Should().Be(0, apply.ToString());
        foreach (var collection in new[] { "agents", "roles", "business-units", "office-hours", "sso-providers", "tag-groups" })
            (await cli.ListAsync(collection)).GroupBy(o => o.Key).Should().OnlyContain(g => g.Count() == 1, collection);
        (await cli.ListAsync("agents")).Should().HaveCount(31);
        cli.AssertNoCanary();
    }

    [Fact]
    public async Task CancellingApplyMidway_ThenRerunning_ConvergesWithoutDuplicates()
    {
        await using var cli = await CliHarness.StartAsync(new FaultInjectionOptions { AddedLatency = TimeSpan.FromMilliseconds(30) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));

        var interrupted = await cli.RunAsync(Apply + " --parallelism 2", cancel.Token);
        var created = (await cli.ListAsync("agents")).Count + (await cli.ListAsync("roles")).Count;
        var rerun = await cli.RunAsync(Apply);
        var plan = await cli.RunAsync(Plan);

        interrupted.ExitCode.Should().NotBe(0);
        created.Should().BeGreaterThan(0);
        rerun.ExitCode.Should().Be(0, rerun.ToString());
        plan.ExitCode.Should().Be(0, plan.ToString());
        (await cli.ListAsync("agents")).GroupBy(o => o.Key).Should().OnlyContain(g => g.Count() == 1);
    }

    [Fact]
    public async Task ARotatedSecret_IsShownMaskedAndPushed()
    {
        await using var cli = await CliHarness.StartAsync();

        var rotation = await SecretRotation.RunAsync(cli, "RECONCILER_SECRET_SSO_OKTA_CLIENTSECRET", CliHarness.Canary + "-rotated", "sso-providers", "okta");

        rotation.ShouldBeMaskedPushedAndSettled(cli, "SsoProvider/okta", "spec.oidc.clientSecretRef", "oidc.clientSecret");
        rotation.After.Fields["oidc"]!["clientSecretUpdatedAt"]!.ToString().Should().NotBe(rotation.Before.Fields["oidc"]!["clientSecretUpdatedAt"]!.ToString());
    }

    [Fact]
    public async Task Export_ThenPlanningTheExport_ShowsNoChanges()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        cli.SetExportedSecretVariables();

        var export = await cli.RunAsync("export --output-dir exported --platform-url {url}");
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        export.ExitCode.Should().Be(0, export.ToString());
        Directory.GetFiles(Path.Combine(cli.Directory, "exported")).Should().HaveCount(Reconciler.Core.Mapping.KindMappers.InDependencyOrder.Count, "one file per kind");
        var channels = await File.ReadAllTextAsync(Path.Combine(cli.Directory, "exported", "channels.yaml"));
        channels.Should().Contain("kind: Channel").And.Contain("businessUnitRef:").And.Contain("tokenSecretRef:").And.Contain("enabled: false");
        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("No changes.");
        cli.AssertNoCanary();
    }

    [KubectlFact]
    public async Task An_export_of_text_that_needs_quoting_reads_back_through_kustomize_as_the_platform_holds_it()
    {
        const string displayName = "Maria 🌟 \"Lead\" ✓ ü\u2028\\ no";
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await cli.EditAsync("agents", "maria.santos@acme.example", f => f["displayName"] = displayName);
        cli.SetExportedSecretVariables();

        var export = await cli.RunAsync("export --output-dir exported --platform-url {url}");
        export.ExitCode.Should().Be(0, export.ToString());
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");
        var documents = await Kustomize.BuildAsync(Path.Combine(cli.Directory, "exported"));

        documents.Where(d => Kustomize.Text(d, "kind") == "Agent" && Kustomize.Text(d, "spec", "email") == "maria.santos@acme.example")
            .Select(d => Kustomize.Text(d, "spec", "displayName")).Should().Equal(displayName);
        plan.ExitCode.Should().Be(0, plan.ToString());
    }

    /// <summary>Runs <paramref name="script"/> with /bin/sh in <paramref name="directory"/>; the NUL-separated words it printed.</summary>
    private static List<string> Shell(string directory, string script)
    {
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = directory };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var shell = System.Diagnostics.Process.Start(info)!;
        var output = shell.StandardOutput.ReadToEnd();
        shell.WaitForExit();
        return [.. output.Split('\0')[..^1]];
    }
}
