namespace Reconciler.Cli.Tests.Integration;

/// <summary>Plan guards and impact end to end: the CLI against the real platform server over loopback HTTP.</summary>
public sealed class GuardIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";
    private const string Plan = "plan -f acme-support --platform-url {url}";

    /// <summary>Kai Richter is one of the example's two admins (custom role workforce-admin: agents, roles and SSO management).</summary>
    private static void DeactivateKai(CliHarness cli)
    {
        var file = Path.Combine(cli.Manifests, "agents", "leadership.yaml");
        var text = File.ReadAllText(file);
        var kai = text.IndexOf("name: kai-richter", StringComparison.Ordinal);
        var active = text.IndexOf("active: true", kai, StringComparison.Ordinal);
        File.WriteAllText(file, text[..active] + "active: false" + text[(active + "active: true".Length)..]);
    }

    private static async Task<bool> KaiIsActiveAsync(CliHarness cli) =>
        (await cli.ListAsync("agents")).Single(a => a.Key == "kai.richter@acme.example").Fields["active"]!.GetValue<bool>();

    [Fact]
    public async Task A_plan_that_would_leave_one_admin_is_refused_and_apply_writes_nothing_on_the_platform()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        DeactivateKai(cli);
        var audit = await cli.AuditCountAsync();

        var plan = await cli.RunAsync(Plan);
        var apply = await cli.RunAsync(Apply);

        plan.ExitCode.Should().Be(1, plan.ToString());
        plan.Output.Should().Contain("Refused by guard admins: the plan leaves 1 active admin (minAdmins 2): Kai Richter (deactivated)")
            .And.Contain("[Agent/kai-richter]").And.Contain("to allow it: --allow admins");
        plan.Error.Should().Contain("error: refused by guard admins").And.Contain("To allow it: --allow admins");
        apply.ExitCode.Should().Be(1, apply.ToString());
        apply.Error.Should().Contain("refused by guard admins").And.Contain("nothing was applied");
        (await KaiIsActiveAsync(cli)).Should().BeTrue("a refused plan writes nothing");
        (await cli.AuditCountAsync()).Should().Be(audit, "not a single write reached the platform");
    }

    [Fact]
    public async Task With_allow_the_same_change_is_applied_and_the_plan_names_the_removed_admin()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        DeactivateKai(cli);

        var plan = await cli.RunAsync(Plan + " --allow admins");
        var apply = await cli.RunAsync(Apply + " --allow admins");

        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("Allowed (guard admins overridden)").And.Contain("Kai Richter loses all their access (deactivated)").And.Contain("No longer admins: Kai Richter");
        apply.ExitCode.Should().Be(0, apply.ToString());
        (await KaiIsActiveAsync(cli)).Should().BeFalse();
    }

    [Fact]
    public async Task A_saved_plan_honours_only_the_guards_it_was_planned_with()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        DeactivateKai(cli);

        var refused = await cli.RunAsync(Plan + " -out refused.plan");
        var saved = await cli.RunAsync(Plan + " --allow admins -out allowed.plan");
        var widened = await cli.RunAsync("apply allowed.plan --allow admins,orphans --platform-url {url}");
        var apply = await cli.RunAsync("apply allowed.plan --platform-url {url}");

        refused.ExitCode.Should().Be(1);
        File.Exists(Path.Combine(cli.Directory, "refused.plan")).Should().BeFalse();
        saved.ExitCode.Should().Be(0, saved.ToString());
        File.ReadAllText(Path.Combine(cli.Directory, "allowed.plan")).Should().Contain("\"allow_guards\": [\n        \"admins\"\n      ]");
        widened.ExitCode.Should().NotBe(0);
        widened.Error.Should().Contain("--allow cannot be used with a saved plan file");
        apply.ExitCode.Should().Be(0, apply.ToString());
        (await KaiIsActiveAsync(cli)).Should().BeFalse();
    }

    [Fact]
    public async Task An_unknown_guard_name_is_a_usage_error_listing_the_guards()
    {
        await using var cli = await CliHarness.StartAsync();

        var run = await cli.RunAsync(Plan + " --allow admins,owners");

        run.ExitCode.Should().NotBe(0);
        run.Error.Should().Contain("--allow: 'owners' is not a guard; guards are admins, sign-in, mass-change, orphans");
    }

    [Fact]
    public async Task Impact_prints_the_coverage_matrix_as_a_table_and_as_markdown()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);

        var table = await cli.RunAsync("impact -f acme-support --platform-url {url}");
        var markdown = await cli.RunAsync("impact -f acme-support --platform-url {url} -o markdown");

        table.ExitCode.Should().Be(0, table.ToString());
        table.Output.Should().StartWith("BUSINESS UNIT").And.MatchRegex(@"Billing\s+pt-BR\s+Support LATAM \(America/Sao_Paulo\)\s+Mon–Fri 08:00–20:00\s+Beatriz Costa")
            .And.Contain("CAPACITY (CHATS)").And.Contain("opening intervals served by an active L1 agent");
        markdown.ExitCode.Should().Be(0);
        markdown.Output.Should().Contain("### Coverage").And.Contain("| Billing | pt-BR | Support LATAM (America/Sao_Paulo) | Mon–Fri 08:00–20:00 | Beatriz Costa |");
        (await cli.RunAsync(Plan + " --detailed-exitcode")).ExitCode.Should().Be(0, "impact writes nothing");
    }
}
