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

/// <summary>The Organization mapper's account settings: push notifications with a referenced key, retention, and the platform's facts in status.</summary>
public sealed class OrganizationMapperTests
{
    private const string Yaml = """
        apiVersion: support.reconciler.dev/v1alpha1
        kind: Organization
        metadata: {name: acme}
        spec:
          displayName: Acme Support
          timezone: Europe/Berlin
          settings: {sessionRecording: true, sessionRecordingRetentionDays: 90}
          pushNotifications:
            firebaseProjectId: acme-support-push
            serviceAccountKeySecretRef: {name: firebase-push, key: serviceAccountKey}

        """;

    [Fact]
    public void The_settings_map_to_a_body_the_wire_rules_accept_and_export_back_with_the_key_pointing_at_the_exported_secret()
    {
        var org = (Organization)EngineHarness.Load(Yaml).Single();
        var mapper = KindMappers.For(org);
        var secrets = SecretValues.Placeholders(mapper.SecretReferences(org));

        var body = mapper.Map(org, new MappingContext(new NoReferences(), secrets, IncludeSecretValues: true)).Fields;

        WireRules.Check(body.Deserialize<OrganizationDto>(WireJson.Options)!).Should().BeEmpty();
        body["settings"]!["sessionRecordingRetentionDays"]!.GetValue<int>().Should().Be(90);
        body["pushNotifications"]!["firebaseProjectId"]!.GetValue<string>().Should().Be("acme-support-push");
        var exported = (Organization)mapper.Export(new PlatformObject("org_1", "organization", 1, new Dictionary<string, string>(), body), new ExportContext((_, _) => null));
        exported.Spec.Should().BeEquivalentTo(org.Spec, "the exported Secret is the one export names, firebase-push/serviceAccountKey");
    }

    [Fact]
    public void A_planned_body_never_holds_the_key_only_its_own_fingerprint_label()
    {
        var org = (Organization)EngineHarness.Load(Yaml).Single();
        var secrets = new SecretValues(new Dictionary<SecretKeyRef, SecretLookup>
        {
            [new SecretKeyRef { Name = "firebase-push", Key = "serviceAccountKey" }] = SecretLookup.Found("CANARY-firebase-key"),
        });

        var mapped = KindMappers.For(org).Map(org, new MappingContext(new NoReferences(), secrets, IncludeSecretValues: false));

        mapped.Fields.ToJsonString().Should().NotContain("CANARY");
        mapped.SecretFields.Should().Equal("pushNotifications.serviceAccountKey");
        mapped.SecretLabels.Should().ContainSingle().Which.Key.Should().Be("reconciler.dev/secret-fingerprint.pushNotifications.serviceAccountKey");
        mapped.SecretLabels.Values.Should().OnlyContain(v => !v.Contains("CANARY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rotating_the_key_plans_one_sensitive_change_and_applying_it_settles()
    {
        var harness = new EngineHarness();
        harness.SecretValues["firebase-push/serviceAccountKey"] = "key-v1";
        (await harness.ApplyAsync(Yaml)).Succeeded.Should().BeTrue();
        (await harness.PlanAsync(Yaml)).Plan.HasChanges.Should().BeFalse();

        harness.SecretValues["firebase-push/serviceAccountKey"] = "key-v2";
        var rotated = await harness.PlanAsync(Yaml);

        var change = rotated.Plan.Changes.Should().ContainSingle().Subject;
        change.Fields.Should().ContainSingle().Which.Should().Match<FieldChange>(f => f.Sensitive && f.Path == "pushNotifications.serviceAccountKey" && f.ManifestPath == "spec.pushNotifications.serviceAccountKeySecretRef");
        PlanRenderer.ToText(rotated.Plan).Should().NotContain("key-v");
        (await harness.ApplyAsync(rotated)).Succeeded.Should().BeTrue();
        (await harness.PlanAsync(Yaml)).Plan.HasChanges.Should().BeFalse();
    }

    [Fact]
    public void The_status_shows_licences_and_helpdesk_links_and_warns_when_more_agents_are_active_than_seats_are_bought()
    {
        var changed = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        PlatformObject Observed(int used, int bought) => new("org_1", "organization", 3, new Dictionary<string, string>(), new JsonObject
        {
            ["updatedAt"] = changed.ToString("O"),
            ["licences"] = new JsonObject { ["seatsUsed"] = used, ["seatsBought"] = bought },
            ["helpdeskLinks"] = new JsonArray(
                new JsonObject { ["provider"] = "Intercom", ["connected"] = true, ["account"] = "acme-workspace", ["since"] = changed.ToString("O") },
                new JsonObject { ["provider"] = "Zendesk", ["connected"] = false }),
        });

        var within = (OrganizationStatus)OrganizationKind.Description.WithObservedFacts(new OrganizationStatus { ObservedGeneration = 2 }, Observed(8, 10), SecretValues.None);
        var again = (OrganizationStatus)OrganizationKind.Description.WithObservedFacts(within, Observed(8, 10), SecretValues.None);
        var over = (OrganizationStatus)OrganizationKind.Description.WithObservedFacts(within, Observed(12, 10), SecretValues.None);

        within.Licences.Should().Be(new LicenceUsage { SeatsUsed = 8, SeatsBought = 10 });
        within.HelpdeskLinks.Should().BeEquivalentTo([
            new HelpdeskLink { Provider = "Intercom", Connected = true, Account = "acme-workspace", Since = changed },
            new HelpdeskLink { Provider = "Zendesk", Connected = false }]);
        within.Conditions.Should().ContainSingle().Which.Should().Match<Condition>(c => c.Type == "SeatsExceeded" && c.Status == "False" && c.Message == "8 of 10 seats used");
        again.Should().Be(within, "an unchanged report yields an equal status, so nothing is written");
        over.Conditions.Should().ContainSingle().Which.Should().Match<Condition>(c =>
            c.Type == "SeatsExceeded" && c.Status == "True" && c.Reason == "SeatsExceeded" && c.Message.StartsWith("12 active agents but 10 seats bought", StringComparison.Ordinal));
        OrganizationKind.Description.Gauges.Select(g => g.Read(null!, over)!.Value).Should().Equal(12, 10);
    }
}
