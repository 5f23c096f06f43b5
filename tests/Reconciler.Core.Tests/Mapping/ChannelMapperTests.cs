using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Tests.Engine;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Tests.Mapping;

/// <summary>The Channel mapper: each type's settings on the wire and back, credentials only as fingerprints, one label per credential.</summary>
public sealed class ChannelMapperTests
{
    private const string Head = "apiVersion: support.reconciler.dev/v1alpha1\nkind: Channel\nmetadata: {name: ch}\nspec:\n";

    /// <summary>Each case: the spec (after Head), the wire block it maps to and a field of it, and that field's value.</summary>
    public static TheoryData<string, string, string> Types => new()
    {
        { "  type: WebChat\n  webChat: {widgetName: Chat, allowedDomains: [acme.example]}\n", "webChat.widgetStatus", "Active" },
        { "  type: WhatsApp\n  whatsApp: {phoneNumber: '+6281234567890', businessAccountId: '1048573920'}\n", "whatsApp.phoneNumber", "+6281234567890" },
        { "  type: Facebook\n  facebook: {pageId: '2283746192'}\n", "facebook.pageId", "2283746192" },
        { "  type: Instagram\n  instagram: {accountId: '1784140000'}\n", "instagram.accountId", "1784140000" },
        { "  type: Email\n  email: {address: billing@acme.example, displayName: Billing}\n", "email.address", "billing@acme.example" },
        { "  type: Telegram\n  telegram: {botName: Acme, botUsername: acme_bot, tokenSecretRef: {name: tg, key: token}}\n", "telegram.botUsername", "acme_bot" },
        { "  type: Line\n  line: {channelName: Acme, channelSecretRef: {name: ln, key: channelSecret}, accessTokenSecretRef: {name: ln, key: accessToken}}\n", "line.channelName", "Acme" },
        { "  type: Twitter\n  enabled: false\n", "type", "Twitter" },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_type_maps_to_a_body_the_wire_rules_accept_and_exports_back_to_the_same_spec(string spec, string field, string value)
    {
        var channel = (Channel)EngineHarness.Load(Head + spec).Single();
        var mapper = KindMappers.For(channel);
        var secrets = SecretValues.Placeholders(mapper.SecretReferences(channel));

        var body = mapper.Map(channel, new MappingContext(new NoReferences(), secrets, IncludeSecretValues: true)).Fields;

        WireRules.Check(body.Deserialize<ChannelDto>(WireJson.Options)!).Should().BeEmpty();
        Read(body, field).Should().Be(value);
        var exported = (Channel)mapper.Export(new PlatformObject("ch_1", "ch", 1, new Dictionary<string, string>(), body), new ExportContext((_, _) => "ch"));
        var expected = channel.Spec with
        {
            Telegram = channel.Spec.Telegram is { } t ? t with { TokenSecretRef = new SecretKeyRef { Name = "ch", Key = "token" } } : null,
            Line = channel.Spec.Line is { } l ? l with { ChannelSecretRef = new SecretKeyRef { Name = "ch", Key = "channelSecret" }, AccessTokenSecretRef = new SecretKeyRef { Name = "ch", Key = "accessToken" } } : null,
        };
        exported.Spec.Should().BeEquivalentTo(expected, "export points credentials at a Secret named after the channel");
    }

    [Fact]
    public void A_planned_body_never_holds_a_credential_only_one_fingerprint_label_per_credential()
    {
        var channel = (Channel)EngineHarness.Load(Head + "  type: Line\n  line: {channelName: Acme, channelSecretRef: {name: ln, key: channelSecret}, accessTokenSecretRef: {name: ln, key: accessToken}}\n").Single();
        var secrets = new SecretValues(new Dictionary<SecretKeyRef, SecretLookup>
        {
            [new SecretKeyRef { Name = "ln", Key = "channelSecret" }] = SecretLookup.Found("CANARY-line-secret"),
            [new SecretKeyRef { Name = "ln", Key = "accessToken" }] = SecretLookup.Found("CANARY-line-token"),
        });

        var mapped = KindMappers.For(channel).Map(channel, new MappingContext(new NoReferences(), secrets, IncludeSecretValues: false));

        mapped.Fields.ToJsonString().Should().NotContain("CANARY");
        mapped.SecretFields.Should().BeEquivalentTo(["line.channelSecret", "line.accessToken"]);
        mapped.SecretLabels.Keys.Should().BeEquivalentTo(["reconciler.dev/secret-fingerprint.line.channelSecret", "reconciler.dev/secret-fingerprint.line.accessToken"]);
        mapped.SecretLabels.Values.Should().OnlyContain(v => v.StartsWith("p2.", StringComparison.Ordinal) && !v.Contains("CANARY", StringComparison.Ordinal));
        mapped.SecretLabels.Keys.Should().OnlyContain(k => WireFormats.IsLabelKey(k));
    }

    [Fact]
    public async Task Rotating_one_LINE_credential_plans_a_change_of_that_one_only_and_applying_it_settles()
    {
        var harness = new EngineHarness();
        harness.SecretValues["ln/channelSecret"] = "secret-v1";
        harness.SecretValues["ln/accessToken"] = "token-v1";
        var yaml = Head + "  type: Line\n  line: {channelName: Acme, channelSecretRef: {name: ln, key: channelSecret}, accessTokenSecretRef: {name: ln, key: accessToken}}\n";
        (await harness.ApplyAsync(yaml)).Succeeded.Should().BeTrue();
        (await harness.PlanAsync(yaml)).Plan.HasChanges.Should().BeFalse();

        harness.SecretValues["ln/accessToken"] = "token-v2";
        var rotated = await harness.PlanAsync(yaml);

        var change = rotated.Plan.Changes.Should().ContainSingle().Subject;
        change.Fields.Should().ContainSingle().Which.Should().Match<FieldChange>(f => f.Sensitive && f.Path == "line.accessToken" && f.ManifestPath == "spec.line.accessTokenSecretRef");
        (await harness.ApplyAsync(rotated)).Succeeded.Should().BeTrue();
        (await harness.PlanAsync(yaml)).Plan.HasChanges.Should().BeFalse();
    }

    [Fact]
    public void The_status_shows_the_reported_connection_and_a_Connected_condition_dated_by_the_platform()
    {
        var since = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        var observed = new PlatformObject("ch_1", "ch", 3, new Dictionary<string, string>(), new JsonObject
        {
            ["enabled"] = true,
            ["connection"] = new JsonObject { ["state"] = "Error", ["message"] = "401: token revoked", ["since"] = since.ToString("O") },
        });

        var status = (ChannelStatus)ChannelKind.Description.WithObservedFacts(new ChannelStatus { ObservedGeneration = 2 }, observed, SecretValues.None);
        var again = (ChannelStatus)ChannelKind.Description.WithObservedFacts(status, observed, SecretValues.None);

        status.Connection.Should().Be(new ChannelConnection { State = "Error", Message = "401: token revoked", Since = since });
        var condition = status.Conditions.Should().ContainSingle().Subject;
        condition.Should().Match<Condition>(c => c.Type == "Connected" && c.Status == "False" && c.Reason == "Error" && c.Message == "401: token revoked" && c.LastTransitionTime == since);
        again.Should().Be(status, "an unchanged report yields an identical status, so nothing is written");
        ReferenceEquals(again.Conditions, status.Conditions).Should().BeTrue();
    }

    [Fact]
    public void The_Connected_condition_holds_the_platforms_text_to_what_the_API_server_accepts()
    {
        var observed = new PlatformObject("ch_1", "ch", 3, new Dictionary<string, string>(), new JsonObject
        {
            ["enabled"] = true,
            ["connection"] = new JsonObject { ["state"] = "token revoked", ["message"] = new string('x', 40_000), ["since"] = "2026-11-30T09:00:00Z" },
        });

        var status = (ChannelStatus)ChannelKind.Description.WithObservedFacts(new ChannelStatus { ObservedGeneration = 2 }, observed, SecretValues.None);

        var condition = status.Conditions.Should().ContainSingle().Subject;
        condition.Reason.Should().Be(ChannelKind.UnknownReason, "a state that is no condition reason would make the API server refuse the whole status");
        condition.Message.Should().HaveLength(32768);
        status.Connection!.State.Should().Be("token revoked", "the platform's own words stay in status.connection");
    }

    private static string? Read(JsonObject body, string path) =>
        path.Split('.').Aggregate((JsonNode?)body, (node, part) => node?[part])?.GetValue<string>();
}
