namespace Reconciler.Cli.Tests.Integration;

/// <summary>Channels through the CLI against the reference platform over HTTP: apply, credential rotation, guards (the export round trip of every kind is in PlanApplyIntegrationTests).</summary>
public sealed class ChannelIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";
    private const string Plan = "plan -f acme-support --detailed-exitcode --platform-url {url}";

    [Fact]
    public async Task Applying_the_example_creates_its_channels_routed_to_their_business_units_and_connected()
    {
        await using var cli = await CliHarness.StartAsync();

        var apply = await cli.RunAsync(Apply);

        apply.ExitCode.Should().Be(0, apply.ToString());
        var units = (await cli.ListAsync("business-units")).ToDictionary(u => u.Id, u => u.Key);
        var channels = (await cli.ListAsync("channels")).ToDictionary(c => c.Key);
        channels.Keys.Should().BeEquivalentTo(["whatsapp-sales", "telegram-support", "webchat-website", "email-billing", "facebook-onboarding"]);
        units[channels["whatsapp-sales"].Fields["businessUnitId"]!.GetValue<string>()].Should().Be("sales");
        units[channels["telegram-support"].Fields["businessUnitId"]!.GetValue<string>()].Should().Be("support");
        channels["whatsapp-sales"].Fields["whatsApp"]!["phoneNumber"]!.GetValue<string>().Should().Be("+6281234567890");
        channels["telegram-support"].Fields["connection"]!["state"]!.GetValue<string>().Should().Be("Connected");
        channels["facebook-onboarding"].Fields["connection"]!["state"]!.GetValue<string>().Should().Be("Disconnected", "enabled: false is the console's Disconnect account");
        channels["telegram-support"].Fields["telegram"]!.AsObject().ContainsKey("token").Should().BeFalse("the token is write-only");
        channels["telegram-support"].Labels.Should().ContainKey("reconciler.dev/secret-fingerprint.telegram.token");
        cli.AssertNoCanary();
    }

    [Fact]
    public async Task A_rotated_Telegram_token_is_planned_masked_pushed_and_then_no_change()
    {
        await using var cli = await CliHarness.StartAsync();

        var rotation = await SecretRotation.RunAsync(cli, "RECONCILER_SECRET_TELEGRAM_SUPPORT_BOT_TOKEN", CliHarness.TelegramCanary + "-rotated", "channels", "telegram-support");

        rotation.ShouldBeMaskedPushedAndSettled(cli, "Channel/telegram-support", "spec.telegram.tokenSecretRef", "telegram.token");
        const string fingerprint = "reconciler.dev/secret-fingerprint.telegram.token";
        rotation.After.Labels[fingerprint].Should().NotBe(rotation.Before.Labels[fingerprint]);
    }

    [Fact]
    public async Task A_business_unit_left_without_agents_is_refused_by_the_orphans_guard_which_names_the_channel_routed_to_it()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        foreach (var file in Directory.GetFiles(Path.Combine(cli.Manifests, "agents"), "*.yaml"))
        {
            var text = await File.ReadAllTextAsync(file);
            await File.WriteAllTextAsync(file, text.Replace("[{name: sales}]", "[{name: support}]", StringComparison.Ordinal)
                .Replace(", {name: sales}", "", StringComparison.Ordinal).Replace("{name: sales}, ", "", StringComparison.Ordinal));
        }

        var plan = await cli.RunAsync("plan -f acme-support --platform-url {url}");

        plan.ExitCode.Should().Be(1, plan.ToString());
        plan.Output.Should().Contain("Refused by guard orphans: business unit sales would have no active agent")
            .And.Contain("routed to it: channels whatsapp-sales");
        cli.AssertNoCanary();
    }

    [Fact]
    public async Task A_channel_invalid_for_its_type_is_reported_by_validate_with_its_position_and_plan_refuses_it()
    {
        await using var cli = await CliHarness.StartAsync();
        var file = Path.Combine(cli.Manifests, "channels.yaml");
        var yaml = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(file, yaml.Replace("phoneNumber: \"+6281234567890\"", "phoneNumber: \"0812 3456 7890\"", StringComparison.Ordinal)
            .Replace("botUsername: acme_support_bot", "botUsername: acme_support", StringComparison.Ordinal));

        var validate = await cli.RunAsync($"validate -f {cli.Manifests}");
        var plan = await cli.RunAsync(Plan);

        validate.ExitCode.Should().Be(1, validate.ToString());
        validate.Output.Should().MatchRegex(@"channels\.yaml:15:\d+: .*spec\.whatsApp\.phoneNumber").And.MatchRegex(@"channels\.yaml:29:\d+: .*spec\.telegram\.botUsername");
        plan.ExitCode.Should().Be(1, plan.ToString());
        (await cli.ListAsync("channels")).Should().BeEmpty("nothing is written when a manifest is invalid");
    }
}
