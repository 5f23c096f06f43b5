using Reconciler.Core.Platform;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>Reply templates through the CLI against the reference platform over HTTP: apply, export round trip, placeholders, drift.</summary>
public sealed class ReplyTemplateIntegrationTests
{
    private const string Apply = "apply -f acme-support --auto-approve --platform-url {url}";

    private const string UnknownPlaceholder = """

        ---
        apiVersion: support.reconciler.dev/v1alpha1
        kind: ReplyTemplate
        metadata: {name: voucher}
        spec:
          shortcut: /voucher
          title: Voucher code
          texts:
            en: "Your voucher is {{customer.voucherCode}}, {{customer.firstName}}."
        """;

    [Fact]
    public async Task Apply_creates_the_examples_templates_and_their_export_plans_no_changes()
    {
        await using var cli = await CliHarness.StartAsync();

        var apply = await cli.RunAsync(Apply);
        var export = await cli.RunAsync("export --output-dir exported --platform-url {url}");
        var plan = await cli.RunAsync("plan -f exported/reply-templates.yaml exported/business-units.yaml exported/office-hours.yaml --detailed-exitcode --platform-url {url}");

        apply.ExitCode.Should().Be(0, apply.ToString());
        var templates = await cli.ListAsync("reply-templates");
        templates.Should().HaveCount(12);
        var refund = templates.Single(t => t.Key == "/refund");
        refund.Fields["texts"]!.AsObject().Select(t => t.Key).Should().BeEquivalentTo(["en", "de", "pt-BR"]);
        refund.Fields["businessUnitIds"]!.AsArray().Should().ContainSingle().Which!.ToString()
            .Should().Be((await cli.ListAsync("business-units")).Single(b => b.Key == "billing").Id);
        export.ExitCode.Should().Be(0, export.ToString());
        var exported = await File.ReadAllTextAsync(Path.Combine(cli.Directory, "exported", "reply-templates.yaml"));
        exported.Should().Contain("name: refund").And.Contain("shortcut: \"/refund\"").And.MatchRegex(@"businessUnitRefs:\s+- name: billing");
        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Output.Should().Contain("No changes");
    }

    [Fact]
    public async Task Plan_names_a_placeholder_the_platform_does_not_know_and_apply_never_sends_the_template()
    {
        await using var cli = await CliHarness.StartAsync();
        await File.AppendAllTextAsync(Path.Combine(cli.Manifests, "reply-templates.yaml"), UnknownPlaceholder);

        var validate = await cli.RunAsync($"validate -f {cli.Manifests}");
        var plan = await cli.RunAsync("plan -f acme-support --platform-url {url}");
        var apply = await cli.RunAsync(Apply);

        validate.ExitCode.Should().Be(0, "the placeholder is well-formed; only the platform's catalog knows it: " + validate);
        plan.ExitCode.Should().Be(1, plan.ToString());
        plan.Output.Should().Contain("ReplyTemplate/voucher: UnknownPlaceholder: spec.texts.en: \"{{customer.voucherCode}}\" is not a known placeholder")
            .And.MatchRegex(@"\[.*reply-templates\.yaml:\d+:\d+\]");
        apply.ExitCode.Should().Be(1, apply.ToString());
        apply.Output.Should().NotMatchRegex(@"\b422\b", "the platform never refused it (a bare 422; temp paths hold hex GUIDs)");
        (await cli.ListAsync("reply-templates")).Should().NotContain(t => t.Key == "/voucher").And.HaveCount(12, "the other templates are applied");
    }

    [Fact]
    public async Task A_console_edit_of_a_text_is_drift_that_apply_corrects_with_one_write()
    {
        await using var cli = await CliHarness.StartAsync();
        (await cli.RunAsync(Apply)).ExitCode.Should().Be(0);
        await cli.EditAsync("reply-templates", "/refund", body => body["texts"]!["de"] = "Erstattung? Nie!");
        var before = await cli.AuditCountAsync();

        var plan = await cli.RunAsync("plan -f acme-support --detailed-exitcode --platform-url {url}");
        var apply = await cli.RunAsync(Apply);

        plan.ExitCode.Should().Be(2, plan.ToString());
        plan.Output.Should().Contain("~ ReplyTemplate/refund").And.Contain("Erstattung? Nie!").And.Contain("alice@acme.example");
        apply.ExitCode.Should().Be(0, apply.ToString());
        var written = (await cli.Bot.ListAuditEventsAsync(new AuditQuery(Collection: "reply-templates"), CancellationToken.None)).Value!.Skip(12 + 1).ToList();
        written.Should().ContainSingle().Which.ChangedFields.Should().Equal("texts.de");
        (await cli.AuditCountAsync()).Should().Be(before + 1);
        (await cli.ListAsync("reply-templates")).Single(t => t.Key == "/refund").Fields["texts"]!["de"]!.ToString().Should().StartWith("Hallo {{customer.name}}");
    }
}
