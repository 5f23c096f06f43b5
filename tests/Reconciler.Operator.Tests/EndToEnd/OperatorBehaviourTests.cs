using System.Text;
using System.Text.Json.Nodes;
using System.Diagnostics;
using k8s;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.LeaderElection;
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
        await fixture.ConnectAsync(new JsonObject
        {
            ["driftPolicy"] = policy.ToString(),
            ["resyncInterval"] = resync,
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

        await RenameTagGroupByHandAsync(fixture, id);

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
            (await fixture.Human.GetAsync("tag-groups", id, CancellationToken.None)).Value!.Fields["displayName"]!.GetValue<string>().Should().Be(HandEditedName);
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
        var kept = (await fixture.Human.GetAsync("roles", ids["kept"], CancellationToken.None)).Value!;
        kept.Labels.Keys.Should().NotContain(k => k.StartsWith(Ownership.Prefix, StringComparison.Ordinal), "an orphan must not look like Reconciler's to a later prune");
        (await fixture.AuditAsync()).Where(a => a.ObjectId == ids["kept"]).Should().HaveCount(2, "created, then unmarked in one write");
    }

    [Fact]
    public async Task The_writes_remembered_for_resources_and_connections_are_forgotten_when_they_are_deleted()
    {
        await using var fixture = await StartAsync(resync: "10m");
        var host = fixture.StartOperator();
        await fixture.CreateAsync("Role", "short-lived", Role("Short-lived"));
        await SyncedAsync(fixture, "Role", "short-lived");
        host.Runtime!.RecentWrites.Count.Should().BePositive("the connection's status write is remembered while the connection exists");

        await fixture.Client.DeleteAsync(OperatorKinds.TypeOf("Role"), OperatorFixture.Namespace, "short-lived");
        await OperatorFixture.EventuallyAsync(async () => await fixture.Client.TryGetAsync<CustomResource>(OperatorKinds.TypeOf("Role"), OperatorFixture.Namespace, "short-lived") is null, "the role gone");
        await fixture.Client.DeleteAsync(OperatorKinds.TypeOf("PlatformConnection"), OperatorFixture.Namespace, "platform");

        // Before, the connection's entry (and that of any object deleted before its next reconcile) stayed for good.
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(host.Runtime!.RecentWrites.Count == 0), "nothing remembered for the deleted objects", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_conflict_on_the_finalizer_removal_is_retried_on_the_live_object_not_by_another_reconcile()
    {
        await using var fixture = await StartAsync(resync: "10m");
        var host = fixture.StartOperator();
        await fixture.CreateAsync("Role", "contested", Role("Contested"));
        await SyncedAsync(fixture, "Role", "contested");
        var id = await IdOf(fixture, "Role", "contested");

        var type = OperatorKinds.TypeOf("Role");
        fixture.Kube.FailNextRequests("patch", 409, resource: type.Plural);
        await fixture.Client.DeleteAsync(type, OperatorFixture.Namespace, "contested");
        await OperatorFixture.EventuallyAsync(async () => await fixture.Client.TryGetAsync<CustomResource>(type, OperatorFixture.Namespace, "contested") is null, "contested gone from the cluster");

        (await fixture.Human.GetAsync("roles", id, CancellationToken.None)).Outcome.Should().Be(Core.Platform.PlatformOutcome.NotFound);
        (await host.ScrapeMetricsAsync()).Should().MatchRegex("controller_runtime_reconcile_errors_total\\{[^}]*controller=\"role\"[^}]*\\} 0\\n", "the conflict was retried within the reconcile that released the platform object");
        var events = (await fixture.Client.Api.EventsV1.ListNamespacedEventAsync(OperatorFixture.Namespace)).Items.Where(e => e.Regarding?.Name == "contested" && e.Reason == "Deleted").ToList();
        events.Should().ContainSingle().Which.Series.Should().BeNull("the platform object was released once");
    }

    [Fact]
    public async Task A_resource_never_written_to_the_platform_carries_no_finalizer_and_is_deleted_at_once()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        fixture.StartOperator();
        await fixture.CreateAsync("Role", "waiting", Role("Waiting"));
        await fixture.CreateAsync("Role", "paused", Role("Paused"), new Dictionary<string, string> { [OperatorKinds.PausedAnnotation] = "true" });
        await OperatorFixture.EventuallyAsync(async () =>
            OperatorFixture.Condition(await fixture.GetAsync("Role", "waiting"), "Synced", out var reason) == "False" && reason == "PlatformUnavailable", "waiting for a PlatformConnection");
        await OperatorFixture.EventuallyAsync(async () =>
            OperatorFixture.Condition(await fixture.GetAsync("Role", "paused"), "Synced", out var reason) == "False" && reason == "Paused", "paused");

        var type = OperatorKinds.TypeOf("Role");
        foreach (var name in new[] { "waiting", "paused" })
        {
            (await fixture.GetAsync("Role", name)).Metadata.Finalizers.Should().BeNullOrEmpty();
            await fixture.Client.DeleteAsync(type, OperatorFixture.Namespace, name);
            (await fixture.Client.TryGetAsync<CustomResource>(type, OperatorFixture.Namespace, name)).Should().BeNull("nothing holds its deletion");
        }
    }

    [Fact]
    public async Task Deleting_a_synced_resource_after_its_PlatformConnection_leaves_the_platform_object_and_says_so()
    {
        await using var fixture = await StartAsync(resync: "10m");
        fixture.StartOperator();
        await fixture.CreateAsync("Role", "left", Role("Left"));
        await SyncedAsync(fixture, "Role", "left");
        var id = await IdOf(fixture, "Role", "left");

        // As deleting a namespace does: its PlatformConnection goes first (it holds no finalizer), the resources after it.
        await fixture.Client.DeleteAsync(OperatorKinds.TypeOf("PlatformConnection"), OperatorFixture.Namespace, "platform");

        // Deleted only once the operator has seen the connection go (a resource created now waits for one): before that,
        // releasing through the connection it still knows is right, and on a loaded machine the watch can lag the test.
        await fixture.CreateAsync("Role", "probe", Role("Probe"));
        await OperatorFixture.EventuallyAsync(async () =>
            OperatorFixture.Condition(await fixture.GetAsync("Role", "probe"), "Synced", out var reason) == "False" && reason == "PlatformUnavailable", "the connection seen gone");
        var type = OperatorKinds.TypeOf("Role");
        await fixture.Client.DeleteAsync(type, OperatorFixture.Namespace, "left");
        await OperatorFixture.EventuallyAsync(async () => await fixture.Client.TryGetAsync<CustomResource>(type, OperatorFixture.Namespace, "left") is null, "left gone from the cluster");

        (await fixture.Human.GetAsync("roles", id, CancellationToken.None)).IsOk.Should().BeTrue("without a connection nothing is deleted on the platform");
        var events = (await fixture.Client.Api.EventsV1.ListNamespacedEventAsync(OperatorFixture.Namespace)).Items.Where(e => e.Regarding?.Name == "left").ToList();
        events.Should().ContainSingle(e => e.Reason == "Orphaned").Which.Note.Should().Contain(id).And.Contain("no PlatformConnection");
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

    /// <summary>An Okta provider whose client secret is the Secret sso-okta's key clientSecret.</summary>
    private static JsonObject OktaProvider() => new()
    {
        ["type"] = "Okta",
        ["enabled"] = true,
        ["allowedDomains"] = new JsonArray("acme.example"),
        ["defaultRoleRef"] = new JsonObject { ["name"] = "agent" },
        ["oidc"] = new JsonObject { ["issuerUrl"] = "https://acme.okta.example/oauth2/default", ["clientId"] = "abc", ["clientSecretRef"] = new JsonObject { ["name"] = "sso-okta", ["key"] = "clientSecret" } },
    };

    [Fact]
    public async Task WatchCutAnd410_AreResumedWithoutLostEvents_AndSecretRotationIsPushed()
    {
        await using var fixture = await StartAsync(resync: "10m");
        await fixture.CreateSecretAsync("sso-okta", "clientSecret", "v1");
        fixture.StartOperator();
        await fixture.CreateAsync("SsoProvider", "okta", OktaProvider());
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
    public async Task ASecretThatIsNotUtf8_IsReportedOnTheResource_AndNothingIsSent()
    {
        await using var fixture = await StartAsync(resync: "10m");
        await fixture.Client.CreateAsync(ResourceType.Secrets, new Secret
        {
            Metadata = new Reconciler.Kubernetes.Models.ObjectMeta { Name = "sso-okta", Namespace = OperatorFixture.Namespace },
            Data = new Dictionary<string, byte[]> { ["clientSecret"] = [0xFF, (byte)'S', (byte)'E', (byte)'C', 0xFE] },
        });
        fixture.StartOperator();
        var audit = (await fixture.AuditAsync()).Count;
        await fixture.CreateAsync("SsoProvider", "okta", OktaProvider());

        await OperatorFixture.EventuallyAsync(
            async () => (await fixture.GetAsync("SsoProvider", "okta")).Status?["conditions"]?.AsArray().Any(c => c!["type"]!.GetValue<string>() == "Synced" && c["message"]!.GetValue<string>().Contains("not UTF-8", StringComparison.Ordinal)) == true,
            "the resource says its secret is not UTF-8");
        (await fixture.AuditAsync()).Should().HaveCount(audit, "no credential other than the Secret's is sent");
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
    private static JsonObject AgentSpec(int maxChats = 3) => new()
    {
        ["email"] = "maria@acme.example",
        ["displayName"] = "Maria",
        ["roleRef"] = new JsonObject { ["name"] = "agent" },
        ["maxConcurrentChats"] = maxChats,
        ["active"] = true,
    };

    [Fact]
    public async Task Resyncs_OfUnchangedResources_WriteNoStatus_AndAgentStatusShowsPresenceAndActivation()
    {
        await using var fixture = await StartAsync(resync: "1s");
        var host = fixture.StartOperator();
        await fixture.CreateAsync("Agent", "maria", AgentSpec());
        await SyncedAsync(fixture, "Agent", "maria");
        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.Condition(await fixture.GetAsync("PlatformConnection", "platform"), "Ready", out _) == "True", "connection Ready");

        var status = (await fixture.GetAsync("Agent", "maria")).Status!;
        status["presence"]!.GetValue<string>().Should().Be("Offline");
        status["activatedAt"].Should().NotBeNull("an active agent was activated when created");
        status["deactivatedAt"].Should().BeNull();

        var connection = host.Runtime!.Connections.All.Single();
        var loadedAt = connection.Cache.LoadedAt;
        fixture.Kube.ResetRequests();
        // Several 1 s resyncs; how long a list pass takes depends on the machine's load, so wait for them rather than a fixed time.
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(connection.Cache.LoadedAt > loadedAt!.Value.AddSeconds(2)), "several resyncs", TimeSpan.FromSeconds(20));
        fixture.Kube.CountRequests("patch", subresource: "status").Should().Be(0, "neither the connection nor the agent changed");

        // Deactivating sets the platform's deactivatedAt; the status follows the platform object. Maria is the only
        // agent, so deactivating her trips the mass-change guard: allowed here.
        await fixture.AnnotateAsync("PlatformConnection", "platform", OperatorKinds.AllowGuardsAnnotation, "mass-change");
        await fixture.PatchSpecAsync("Agent", "maria", new JsonObject { ["active"] = false });
        await OperatorFixture.EventuallyAsync(async () => (await fixture.GetAsync("Agent", "maria")).Status?["deactivatedAt"] is not null, "deactivatedAt");
    }

    [Fact]
    public async Task PausedResource_IsNotReconciled_AndResumesWhenTheAnnotationIsRemoved()
    {
        await using var fixture = await StartAsync(resync: "10m");
        fixture.StartOperator();
        await fixture.CreateAsync("TagGroup", "priority", TagGroup("Priority"));
        await SyncedAsync(fixture, "TagGroup", "priority");
        var id = await IdOf(fixture, "TagGroup", "priority");
        var audit = (await fixture.AuditAsync()).Count;

        await fixture.AnnotateAsync("TagGroup", "priority", OperatorKinds.PausedAnnotation, "true");
        await fixture.PatchSpecAsync("TagGroup", "priority", new JsonObject { ["displayName"] = "Paused edit" });
        await OperatorFixture.EventuallyAsync(async () =>
            OperatorFixture.Condition(await fixture.GetAsync("TagGroup", "priority"), "Synced", out var reason) == "False" && reason == "Paused", "Synced=False Paused");
        await Task.Delay(500);
        (await fixture.AuditAsync()).Should().HaveCount(audit, "a paused resource writes nothing to the platform");

        await fixture.AnnotateAsync("TagGroup", "priority", OperatorKinds.PausedAnnotation, null);
        await SyncedAsync(fixture, "TagGroup", "priority");
        (await fixture.Human.GetAsync("tag-groups", id, CancellationToken.None)).Value!.Fields["displayName"]!.GetValue<string>().Should().Be("Paused edit");
    }

    [Fact]
    public async Task ResyncAnnotation_RereadsThePlatformObject_AndCorrectsDriftBeforeTheResyncInterval()
    {
        await using var fixture = await StartAsync(resync: "10m");
        fixture.StartOperator();
        await fixture.CreateAsync("TagGroup", "priority", TagGroup("Priority"));
        await SyncedAsync(fixture, "TagGroup", "priority");
        var id = await IdOf(fixture, "TagGroup", "priority");
        await RenameTagGroupByHandAsync(fixture, id);

        await fixture.AnnotateAsync("TagGroup", "priority", OperatorKinds.ResyncRequestedAnnotation, "2025-01-01T00:00:00Z");
        await OperatorFixture.EventuallyAsync(async () =>
            (await fixture.Human.GetAsync("tag-groups", id, CancellationToken.None)).Value!.Fields["displayName"]!.GetValue<string>() == "Priority",
            "drift corrected on request, not after the 10m resync", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task LeaderThatStopsRenewingWithoutReleasing_IsReplacedAfterTheLeaseDuration()
    {
        await using var fixture = await StartAsync(resync: "10m");
        var leaseDuration = TimeSpan.FromSeconds(3);
        var crashed = new LeaderElector(fixture.Client.Api, new LeaderElectionOptions
        {
            LeaseName = "reconciler-operator",
            LeaseNamespace = OperatorFixture.Namespace,
            Identity = "op-crashed",
            LeaseDuration = leaseDuration,
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
            ReleaseOnCancel = false,
            OnStartedLeading = token => Task.Delay(Timeout.Infinite, token),
        });
        using var crash = new CancellationTokenSource();
        var renewing = crashed.RunAsync(crash.Token);
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(crashed.IsLeader), "op-crashed leading");
        var standby = fixture.StartOperator("op-2", leaderElection: true, leaseDuration: leaseDuration);
        await Task.Delay(500);
        standby.IsLeading.Should().BeFalse();

        // A crash: the renew loop stops and the Lease is left as it was, held by op-crashed.
        var crashedAt = Stopwatch.StartNew();
        await crash.CancelAsync();
        await renewing.ContinueWith(_ => { }, TaskScheduler.Default);

        await OperatorFixture.EventuallyAsync(() => Task.FromResult(standby.IsLeading), "op-2 takes over", TimeSpan.FromSeconds(20));
        crashedAt.Elapsed.Should().BeGreaterThan(leaseDuration * 0.5, "the standby waits for the unreleased Lease to expire");
        await fixture.CreateAsync("TagGroup", "after", TagGroup("After"));
        await SyncedAsync(fixture, "TagGroup", "after");
    }

    private const string HandEditedName = "Changed by hand";

    /// <summary>A person edits the tag group on the platform with their own token, keeping its labels.</summary>
    private static async Task RenameTagGroupByHandAsync(OperatorFixture fixture, string id)
    {
        var current = (await fixture.Human.GetAsync("tag-groups", id, CancellationToken.None)).Value!;
        var body = (JsonObject)current.Fields.DeepClone();
        body["displayName"] = HandEditedName;
        body["labels"] = new JsonObject([.. current.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        (await fixture.Human.ReplaceAsync("tag-groups", id, current.Version, body, new("by hand"), CancellationToken.None)).IsOk.Should().BeTrue();
    }
}
