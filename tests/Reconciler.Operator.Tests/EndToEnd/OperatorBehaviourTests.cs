using System.Text;
using System.Text.Json.Nodes;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Models;
using Reconciler.Operator.Kinds;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>Drift, deletion, references, validation, watch interruptions, secret rotation and leader election, end to end.</summary>
public sealed class OperatorBehaviourTests
{
    private static JsonObject TagGroup(string displayName) => new()
    {
        ["displayName"] = displayName,
        ["appliesTo"] = "Chats",
        ["tags"] = new JsonArray(new JsonObject { ["name"] = "vip", ["color"] = "#ff0000" }),
    };

    private static JsonObject Role(string displayName, string deletionPolicy = "Delete") => new()
    {
        ["displayName"] = displayName,
        ["permissions"] = new JsonArray("inbox.view"),
        ["deletionPolicy"] = deletionPolicy,
    };

    private static async Task<OperatorFixture> StartAsync(DriftPolicy policy = DriftPolicy.Correct, string resync = "2s")
    {
        var fixture = await OperatorFixture.StartAsync();
        await fixture.CreateSecretAsync("reconciler-platform-token", "token", OperatorFixture.OperatorToken);
        await fixture.CreateAsync("PlatformConnection", "platform", new JsonObject
        {
            ["url"] = fixture.Platform.BaseUrl.AbsoluteUri,
            ["tokenSecretRef"] = new JsonObject { ["name"] = "reconciler-platform-token", ["key"] = "token" },
            ["driftPolicy"] = policy.ToString(),
            ["resyncInterval"] = resync,
            ["requestsPerSecond"] = 1000,
        });
        return fixture;
    }

    private static Task SyncedAsync(OperatorFixture fixture, string kind, string name) =>
        OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync(kind, name)), $"{kind}/{name} synced");

    private static async Task<string> IdOf(OperatorFixture fixture, string kind, string name) =>
        (await fixture.GetAsync(kind, name)).Status!["id"]!.GetValue<string>();

    [Theory]
    [InlineData(DriftPolicy.Correct)]
    [InlineData(DriftPolicy.Report)]
    public async Task HandEditOnThePlatform_IsCorrectedOrReported_PerDriftPolicy(DriftPolicy policy)
    {
        await using var fixture = await StartAsync(policy);
        fixture.StartOperator();
        await fixture.CreateAsync("TagGroup", "priority", TagGroup("Priority"));
        await SyncedAsync(fixture, "TagGroup", "priority");
        var id = await IdOf(fixture, "TagGroup", "priority");

        var current = (await fixture.Human.GetAsync("tag-groups", id, CancellationToken.None)).Value!;
        var body = (JsonObject)current.Fields.DeepClone();
        body["displayName"] = "Changed by hand";
        body["labels"] = new JsonObject([.. current.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        (await fixture.Human.ReplaceAsync("tag-groups", id, current.Version, body, new("by hand"), CancellationToken.None)).IsOk.Should().BeTrue();

        if (policy == DriftPolicy.Correct)
        {
            await OperatorFixture.EventuallyAsync(async () =>
                (await fixture.Human.GetAsync("tag-groups", id, CancellationToken.None)).Value!.Fields["displayName"]!.GetValue<string>() == "Priority", "drift corrected");
            await OperatorFixture.EventuallyAsync(async () =>
                OperatorFixture.Condition(await fixture.GetAsync("TagGroup", "priority"), "Drifted", out var reason) == "False" && reason == "DriftCorrected", "Drifted=False DriftCorrected");
        }
        else
        {
            await OperatorFixture.EventuallyAsync(async () =>
                OperatorFixture.Condition(await fixture.GetAsync("TagGroup", "priority"), "Drifted", out var reason) == "True" && reason == "DriftDetected", "Drifted=True");
            var status = (await fixture.GetAsync("TagGroup", "priority")).Status!;
            status["driftedFields"]!.AsArray().Select(f => f!["field"]!.GetValue<string>()).Should().Contain("displayName");
            status["driftedFields"]![0]!["changedBy"]!.GetValue<string>().Should().Be("alice");
            (await fixture.Human.GetAsync("tag-groups", id, CancellationToken.None)).Value!.Fields["displayName"]!.GetValue<string>().Should().Be("Changed by hand");
        }
    }

    [Fact]
    public async Task Deletion_DeletesOrOrphansThePlatformObject_AndAlreadyGoneIsFine()
    {
        await using var fixture = await StartAsync(resync: "10m");
        fixture.StartOperator();
        await fixture.CreateAsync("Role", "doomed", Role("Doomed"));
        await fixture.CreateAsync("Role", "kept", Role("Kept", "Orphan"));
        await fixture.CreateAsync("Role", "vanished", Role("Vanished"));
        foreach (var name in new[] { "doomed", "kept", "vanished" })
            await SyncedAsync(fixture, "Role", name);
        var ids = new Dictionary<string, string>();
        foreach (var name in new[] { "doomed", "kept", "vanished" })
            ids[name] = await IdOf(fixture, "Role", name);
        (await fixture.GetAsync("Role", "doomed")).Metadata.Finalizers.Should().Contain(OperatorKinds.Finalizer);

        var vanished = (await fixture.Human.GetAsync("roles", ids["vanished"], CancellationToken.None)).Value!;
        (await fixture.Human.DeleteAsync("roles", vanished.Id, vanished.Version, new("by hand"), CancellationToken.None)).IsOk.Should().BeTrue();

        var type = OperatorKinds.TypeOf("Role");
        foreach (var name in ids.Keys)
            await fixture.Client.DeleteAsync(type, OperatorFixture.Namespace, name);
        foreach (var name in ids.Keys)
            await OperatorFixture.EventuallyAsync(async () => await fixture.Client.TryGetAsync<CustomResource>(type, OperatorFixture.Namespace, name) is null, $"{name} gone from the cluster");

        (await fixture.Human.GetAsync("roles", ids["doomed"], CancellationToken.None)).Outcome.Should().Be(Core.Platform.PlatformOutcome.NotFound);
        (await fixture.Human.GetAsync("roles", ids["kept"], CancellationToken.None)).IsOk.Should().BeTrue();
    }

    [Fact]
    public async Task MissingReference_WaitsWithReferenceNotFound_ThenSyncsWhenItAppears_AndInvalidSpecWritesNothing()
    {
        await using var fixture = await StartAsync(resync: "10m");
        fixture.StartOperator();
        await fixture.CreateAsync("BusinessUnit", "support", new JsonObject { ["displayName"] = "Support", ["officeHoursRef"] = new JsonObject { ["name"] = "emea" } });
        await OperatorFixture.EventuallyAsync(async () =>
            OperatorFixture.Condition(await fixture.GetAsync("BusinessUnit", "support"), "Synced", out var reason) == "False" && reason == "ReferenceNotFound", "ReferenceNotFound");

        await fixture.CreateAsync("OfficeHours", "emea", new JsonObject
        {
            ["timezone"] = "Europe/Berlin",
            ["weekly"] = new JsonArray(new JsonObject { ["days"] = new JsonArray("Monday"), ["opens"] = "08:00", ["closes"] = "18:00" }),
        });
        await SyncedAsync(fixture, "BusinessUnit", "support");

        var audit = (await fixture.AuditAsync()).Count;
        await fixture.CreateAsync("OfficeHours", "broken", new JsonObject
        {
            ["timezone"] = "Mars/Olympus",
            ["weekly"] = new JsonArray(new JsonObject { ["days"] = new JsonArray("Monday"), ["opens"] = "08:00", ["closes"] = "18:00" }),
        });
        await OperatorFixture.EventuallyAsync(async () =>
            OperatorFixture.Condition(await fixture.GetAsync("OfficeHours", "broken"), "Synced", out var reason) == "False" && reason == "ValidationFailed", "ValidationFailed");
        var condition = (await fixture.GetAsync("OfficeHours", "broken")).Status!["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "Synced")!;
        condition["message"]!.GetValue<string>().Should().Contain("spec.timezone");
        (await fixture.AuditAsync()).Should().HaveCount(audit, "nothing is written for an invalid resource");
    }

    [Fact]
    public async Task WatchCutAnd410_AreResumedWithoutLostEvents_AndSecretRotationIsPushed()
    {
        await using var fixture = await StartAsync(resync: "10m");
        await fixture.CreateSecretAsync("sso-okta", "clientSecret", "v1");
        fixture.StartOperator();
        await fixture.CreateAsync("SsoProvider", "okta", new JsonObject
        {
            ["type"] = "Okta",
            ["enabled"] = true,
            ["allowedDomains"] = new JsonArray("acme.example"),
            ["defaultRoleRef"] = new JsonObject { ["name"] = "agent" },
            ["oidc"] = new JsonObject { ["issuerUrl"] = "https://acme.okta.example/oauth2/default", ["clientId"] = "abc", ["clientSecretRef"] = new JsonObject { ["name"] = "sso-okta", ["key"] = "clientSecret" } },
        });
        await SyncedAsync(fixture, "SsoProvider", "okta");

        fixture.Kube.CloseAllWatches();
        await fixture.CreateAsync("TagGroup", "after-cut", TagGroup("After cut"));
        fixture.Kube.CompactHistory();
        fixture.Kube.CloseAllWatches();
        await fixture.CreateAsync("TagGroup", "after-410", TagGroup("After 410"));
        await SyncedAsync(fixture, "TagGroup", "after-cut");
        await SyncedAsync(fixture, "TagGroup", "after-410");

        var audit = (await fixture.AuditAsync()).Count;
        await fixture.Client.PatchAsync<Secret>(ResourceType.Secrets, OperatorFixture.Namespace, "sso-okta",
            new JsonObject { ["data"] = new JsonObject { ["clientSecret"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("v2")) } });
        await OperatorFixture.EventuallyAsync(async () => (await fixture.AuditAsync()).Count > audit, "the rotated secret pushed");
        (await fixture.AuditAsync()).Skip(audit).Should().ContainSingle().Which.Reason.Should().Contain("SsoProvider/okta");
    }

    [Fact]
    public async Task TwoReplicas_OnlyTheLeaderReconciles_AndTheStandbyTakesOver()
    {
        await using var fixture = await StartAsync(resync: "10m");
        var first = fixture.StartOperator("op-1", leaderElection: true);
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(first.IsLeading), "op-1 leading");
        var second = fixture.StartOperator("op-2", leaderElection: true);
        await fixture.CreateAsync("TagGroup", "one", TagGroup("One"));
        await SyncedAsync(fixture, "TagGroup", "one");
        second.IsLeading.Should().BeFalse();
        second.IsReady.Should().BeTrue("a standby is ready");

        await fixture.StopOperatorAsync(first);
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(second.IsLeading), "op-2 takes over", TimeSpan.FromSeconds(20));
        await fixture.CreateAsync("TagGroup", "two", TagGroup("Two"));
        await SyncedAsync(fixture, "TagGroup", "two");
    }
}
