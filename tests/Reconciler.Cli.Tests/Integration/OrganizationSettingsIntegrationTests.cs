using System.Net.Http.Headers;
using System.Net.Http.Json;
using Reconciler.Core.Platform;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>
/// The organisation's account settings through the CLI against the reference platform over HTTP: push notifications
/// with a referenced key and its rotation, the seats guard against the licence the platform reports, export round trip.
/// </summary>
public sealed class OrganizationSettingsIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";
    private const string Plan = "plan -f acme-support --detailed-exitcode --platform-url {url}";
    private const string KeyPath = "spec.pushNotifications.serviceAccountKeySecretRef";
    private const string KeyLabel = "reconciler.dev/secret-fingerprint.pushNotifications.serviceAccountKey";

    [Fact]
    public async Task Applying_the_example_sets_push_notifications_and_retention_with_the_key_write_only()
    {
        await using var cli = await CliHarness.StartAsync();

        var apply = await cli.RunAsync(Apply);

        apply.ExitCode.Should().Be(0, apply.ToString());
        var org = await OrganizationAsync(cli);
        org.Fields["settings"]!["sessionRecordingRetentionDays"]!.GetValue<int>().Should().Be(90);
        var push = org.Fields["pushNotifications"]!.AsObject();
        push["firebaseProjectId"]!.GetValue<string>().Should().Be("acme-support-push");
        push["serviceAccountKeySet"]!.GetValue<bool>().Should().BeTrue();
        push.ContainsKey("serviceAccountKey").Should().BeFalse("the key is write-only");
        org.Labels.Should().ContainKey(KeyLabel);
        (await cli.RunAsync(Plan)).ExitCode.Should().Be(0, "an applied organisation plans no change");
        AssertNoCanary(cli);
    }

    [Fact]
    public async Task A_rotated_Firebase_key_is_planned_masked_pushed_as_one_audit_event_and_then_no_change()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var before = await OrganizationAsync(cli);
        var auditBefore = await cli.AuditCountAsync();
        cli.Variables["RECONCILER_SECRET_FIREBASE_PUSH_SERVICEACCOUNTKEY"] = CliHarness.FirebaseCanary + "-rotated";

        var plan = await cli.RunAsync(Plan);
        var apply = await cli.RunAsync(Apply);
        var after = await cli.RunAsync(Plan);

        plan.ExitCode.Should().Be(2, plan.ToString());
        plan.Output.Should().Contain("~ Organization/acme-support").And.Contain($"{KeyPath}: (sensitive value changed)").And.Contain("1 to change");
        apply.ExitCode.Should().Be(0, apply.ToString());
        after.ExitCode.Should().Be(0, after.ToString());
        var events = (await cli.Bot.ListAuditEventsAsync(new AuditQuery(), CancellationToken.None)).Value!.Skip(auditBefore).ToList();
        events.Should().ContainSingle().Which.ChangedFields.Should().Contain("pushNotifications.serviceAccountKey");
        (await OrganizationAsync(cli)).Labels[KeyLabel].Should().NotBe(before.Labels[KeyLabel]);
        AssertNoCanary(cli);
    }

    [Fact]
    public async Task Activating_an_agent_beyond_the_seats_bought_is_refused_naming_the_count_and_the_agent_until_allowed()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        var active = (await cli.ListAsync("agents")).Count(a => a.Fields["active"]!.GetValue<bool>());
        await SellSeatsAsync(cli, active);
        var file = Path.Combine(cli.Manifests, "agents", "emea.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("active: false", "active: true", StringComparison.Ordinal));

        var refused = await cli.RunAsync(Plan);
        var allowed = await cli.RunAsync(Apply + " --allow seats");
        var warned = await cli.RunAsync(Plan);

        refused.ExitCode.Should().Be(1, refused.ToString());
        refused.Output.Should().Contain($"Refused by guard seats: the plan leaves {active + 1} active agents but {active} seats are bought (1 over); it activates 1: Mia Keller [Agent/mia-keller]")
            .And.Contain("to allow it: --allow seats")
            .And.Contain($"Licences: {active} -> {active + 1} of {active} seats used (1 over)");
        allowed.ExitCode.Should().Be(0, allowed.ToString());
        warned.ExitCode.Should().Be(0, warned.ToString());
        warned.Output.Should().Contain($"Warning (guard seats): the organisation has {active + 1} active agents but {active} seats bought (1 over)");
        var org = await OrganizationAsync(cli);
        org.Fields["licences"]!["seatsUsed"]!.GetValue<int>().Should().Be(active + 1);
        AssertNoCanary(cli);
    }

    [Fact]
    public async Task Exporting_the_organisation_with_its_settings_and_licence_and_planning_the_export_shows_no_changes()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await SellSeatsAsync(cli, 100);
        cli.Variables["RECONCILER_SECRET_OKTA_CLIENTSECRET"] = CliHarness.Canary;
        cli.Variables["RECONCILER_SECRET_GOOGLE_CLIENTSECRET"] = "google-secret";
        cli.Variables["RECONCILER_SECRET_MICROSOFT_CLIENTSECRET"] = "microsoft-secret";
        cli.Variables["RECONCILER_SECRET_TELEGRAM_SUPPORT_TOKEN"] = CliHarness.TelegramCanary;

        var export = await cli.RunAsync("export --output-dir exported --platform-url {url}");
        var plan = await cli.RunAsync("plan -f exported --detailed-exitcode --platform-url {url}");

        export.ExitCode.Should().Be(0, export.ToString());
        var yaml = await File.ReadAllTextAsync(Path.Combine(cli.Directory, "exported", "organization.yaml"));
        yaml.Should().Contain("sessionRecordingRetentionDays: 90").And.Contain("firebaseProjectId: acme-support-push")
            .And.Contain("serviceAccountKeySecretRef:").And.NotContain("licences").And.NotContain("helpdeskLinks");
        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("No changes.");
        AssertNoCanary(cli);
    }

    [Fact]
    public async Task A_retention_without_recording_is_reported_by_validate_with_its_position_and_nothing_is_written()
    {
        await using var cli = await CliHarness.StartAsync();
        var file = Path.Combine(cli.Manifests, "organization.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("sessionRecording: true", "sessionRecording: false", StringComparison.Ordinal)
            .Replace("firebaseProjectId: acme-support-push", "firebaseProjectId: Acme_Push", StringComparison.Ordinal));

        var validate = await cli.RunAsync($"validate -f {cli.Manifests}");
        var plan = await cli.RunAsync(Plan);

        validate.ExitCode.Should().Be(1, validate.ToString());
        validate.Output.Should().MatchRegex(@"organization\.yaml:\d+:\d+: .*spec\.settings\.sessionRecordingRetentionDays.*sessionRecording: true")
            .And.MatchRegex(@"organization\.yaml:\d+:\d+: .*spec\.pushNotifications\.firebaseProjectId");
        plan.ExitCode.Should().Be(1, plan.ToString());
        (await OrganizationAsync(cli)).Fields.ContainsKey("pushNotifications").Should().BeFalse("nothing is written when a manifest is invalid");
    }

    private static async Task<PlatformObject> OrganizationAsync(CliHarness cli)
    {
        var result = await cli.Bot.GetOrganizationAsync(CancellationToken.None);
        result.IsOk.Should().BeTrue(result.Message);
        return result.Value!;
    }

    /// <summary>Billing sells seats: the reference platform's licence endpoint, with an admin token.</summary>
    private static async Task SellSeatsAsync(CliHarness cli, int seats)
    {
        using var http = new HttpClient { BaseAddress = cli.Platform.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CliHarness.AliceToken);
        var response = await http.PutAsJsonAsync("api/v1/organization/licences", new { seatsBought = seats });
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
    }

    private static void AssertNoCanary(CliHarness cli)
    {
        lock (cli.Transcript)
            cli.Transcript.Should().NotContain(t => t.Contains("CANARY", StringComparison.Ordinal));
    }
}
