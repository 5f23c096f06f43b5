using System.Text.Json.Nodes;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>The operator reconciles ReplyTemplates: the example's templates sync, a console edit is corrected, an unknown placeholder is a condition.</summary>
public sealed class ReplyTemplateOperatorTests
{
    [Fact]
    public async Task Reply_templates_sync_drift_is_corrected_and_an_unknown_placeholder_is_refused_with_a_condition()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var resources = await fixture.CreateExampleOrganisationAsync();
        fixture.StartOperator();
        await fixture.WaitForAllSyncedAsync(resources, TimeSpan.FromSeconds(90));

        var templates = (await fixture.Human.ListAsync("reply-templates", CancellationToken.None)).Value!;
        templates.Should().HaveCount(12);
        var refund = templates.Single(t => t.Key == "/refund");
        (await fixture.GetAsync("ReplyTemplate", "refund")).Status!["id"]!.GetValue<string>().Should().Be(refund.Id);

        // A console edit of one language's text is corrected (driftPolicy Correct).
        var edited = (JsonObject)refund.Fields.DeepClone();
        edited["texts"]!["en"] = "No refunds.";
        (await fixture.Human.ReplaceAsync("reply-templates", refund.Id, refund.Version, edited, new("console edit"), CancellationToken.None)).IsOk.Should().BeTrue();
        await OperatorFixture.EventuallyAsync(async () =>
            (await fixture.Human.GetAsync("reply-templates", refund.Id, CancellationToken.None)).Value!.Fields["texts"]!["en"]!.GetValue<string>().StartsWith("Hi {{customer.name}}", StringComparison.Ordinal),
            "the edited text corrected", TimeSpan.FromSeconds(60));

        // A placeholder outside the platform's catalog: never sent, the resource says why.
        await fixture.CreateAsync("ReplyTemplate", "voucher", new JsonObject
        {
            ["shortcut"] = "/voucher",
            ["title"] = "Voucher",
            ["texts"] = new JsonObject { ["en"] = "Your code: {{customer.voucherCode}}" },
        });
        string? message = null;
        await OperatorFixture.EventuallyAsync(async () =>
        {
            var voucher = await fixture.GetAsync("ReplyTemplate", "voucher");
            var synced = voucher.Status?["conditions"]?.AsArray().FirstOrDefault(c => c!["type"]!.GetValue<string>() == "Synced");
            message = synced?["message"]?.GetValue<string>();
            return synced?["status"]?.GetValue<string>() == "False";
        }, "voucher Synced=False");
        message.Should().Contain("{{customer.voucherCode}}").And.Contain("not a known placeholder");
        (await fixture.Human.ListAsync("reply-templates", CancellationToken.None)).Value!.Should().NotContain(t => t.Key == "/voucher");
    }
}
