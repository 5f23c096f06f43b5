using System.Text.Json.Nodes;
using Reconciler.Kubernetes.Models;
using Reconciler.Kubernetes.Tests.Fakes;
using Widget = Reconciler.Kubernetes.Models.KubernetesObject<Reconciler.Kubernetes.Tests.WidgetSpec, Reconciler.Kubernetes.Tests.WidgetStatus>;

namespace Reconciler.Kubernetes.Tests.Client;

/// <summary>The API server behaviour controllers rely on, checked through the real client against the fake.</summary>
public sealed class ApiServerSemanticsTests : FakeApiServerTest
{
    private const string Finalizer = "test.reconciler.dev/finalizer";


    [Fact]
    public async Task ResourceVersion_IsOneGlobalCounterAcrossTypes()
    {
        var widget = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        var secret = await Client.CreateAsync(ResourceType.Secrets, new Secret { Metadata = new ObjectMeta { Name = "s", Namespace = "default" } });
        var other = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w2"));

        long.Parse(secret.Metadata.ResourceVersion!).Should().Be(long.Parse(widget.Metadata.ResourceVersion!) + 1);
        long.Parse(other.Metadata.ResourceVersion!).Should().Be(long.Parse(secret.Metadata.ResourceVersion!) + 1);
    }

    public static TheoryData<string, string, bool> MainEndpointPatches => new()
    {
        // what changes, merge patch, whether metadata.generation goes up
        { "spec", """{"spec": {"size": 9}}""", true },
        { "labels", """{"metadata": {"labels": {"a": "b"}}}""", false },
        { "annotations", """{"metadata": {"annotations": {"a": "b"}}}""", false },
        { "finalizers", """{"metadata": {"finalizers": ["x/y"]}}""", false },
        { "status through the main endpoint (ignored)", """{"status": {"phase": "Ready"}}""", false },

        // The apiextensions strategy counts every change outside metadata once status is put back, not only spec's.
        { "a top-level field beside spec and status", """{"data": {"size": 9}}""", true },
    };

    [Theory]
    [MemberData(nameof(MainEndpointPatches))]
    public async Task Generation_WithAStatusSubresource_MovesOnAnyChangeButToMetadataOrStatus(string change, string patch, bool bumps)
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));

        var patched = await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse(patch)!);

        patched.Metadata.Generation.Should().Be(bumps ? 2 : 1, because: $"a change of {change} {(bumps ? "is" : "is not")} a change outside metadata and status");
    }

    [Fact]
    public async Task Generation_WithoutAStatusSubresource_MovesOnAnyChangeOutsideMetadata()
    {
        var created = await Client.CreateAsync(TestResources.Gadgets, TestResources.Widget("g1"));

        var withStatus = await Client.PatchAsync<Widget>(TestResources.Gadgets, "default", "g1", JsonNode.Parse("""{"status": {"phase": "Ready"}}""")!);
        var withLabel = await Client.PatchAsync<Widget>(TestResources.Gadgets, "default", "g1", JsonNode.Parse("""{"metadata": {"labels": {"a": "b"}}}""")!);

        created.Metadata.Generation.Should().Be(1);
        withStatus.Status!.Phase.Should().Be("Ready", "without a status subresource status is an ordinary field");
        withStatus.Metadata.Generation.Should().Be(2);
        withLabel.Metadata.Generation.Should().Be(2);
    }

    [Fact]
    public async Task StatusEndpoint_WritesOnlyStatus_AndLeavesGenerationAlone()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));

        var updated = await Client.ReplaceStatusAsync(TestResources.Widgets, created with
        {
            Spec = created.Spec! with { Color = "ignored" },
            Metadata = created.Metadata with { Labels = new Dictionary<string, string> { ["ignored"] = "yes" } },
            Status = new WidgetStatus { Phase = "Ready", ObservedGeneration = 1 },
        });

        updated.Status.Should().Be(new WidgetStatus { Phase = "Ready", ObservedGeneration = 1 });
        updated.Spec!.Color.Should().Be("red");
        updated.Metadata.Labels.Should().BeNull();
        updated.Metadata.Generation.Should().Be(1);
        updated.Metadata.ResourceVersion.Should().NotBe(created.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task StatusEndpoint_WithAStaleResourceVersion_ThrowsConflict()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse("""{"spec": {"size": 2}}""")!);

        var act = () => Client.ReplaceStatusAsync(TestResources.Widgets, created with { Status = new WidgetStatus { Phase = "Ready" } });

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.IsConflict.Should().BeTrue();
    }

    [Fact]
    public async Task PatchStatus_MergesIntoStatusOnly()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));

        var patched = await Client.PatchStatusAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse("""{"status": {"phase": "Ready"}, "spec": {"size": 99}}""")!);

        patched.Status!.Phase.Should().Be("Ready");
        patched.Spec!.Size.Should().Be(1);
    }

    [Fact]
    public async Task Create_IgnoresStatus_WhenThereIsAStatusSubresource()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1") with { Status = new WidgetStatus { Phase = "Forged" } });

        created.Status.Should().BeNull();
    }

    [Fact]
    public async Task AnUpdateThatChangesNothing_KeepsTheResourceVersionAndNotifiesNoWatcher()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var events = Client.WatchAsync<Widget>(TestResources.Widgets, "default", new WatchOptions { ResourceVersion = created.Metadata.ResourceVersion }, watching.Token).GetAsyncEnumerator(watching.Token);
        var next = events.MoveNextAsync();

        var replaced = await Client.ReplaceAsync(TestResources.Widgets, created);
        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse("""{"spec": {"size": 2}}""")!);

        replaced.Metadata.ResourceVersion.Should().Be(created.Metadata.ResourceVersion);
        (await next).Should().BeTrue();
        events.Current.Object!.Spec!.Size.Should().Be(2, "the first event seen is the real change, not the no-op");
        await events.DisposeAsync();
    }

    [Fact]
    public async Task Delete_OfAnObjectWithFinalizers_MarksItUntilTheLastFinalizerIsRemoved()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        var withFinalizer = await Client.AddFinalizerAsync(TestResources.Widgets, created, Finalizer);

        await Client.DeleteAsync(TestResources.Widgets, "default", "w1");
        var deleting = await Client.GetAsync<Widget>(TestResources.Widgets, "default", "w1");

        withFinalizer.HasFinalizer(Finalizer).Should().BeTrue();
        deleting.IsBeingDeleted().Should().BeTrue();
        deleting.Metadata.DeletionGracePeriodSeconds.Should().Be(0);
        deleting.Metadata.Generation.Should().Be(2, "setting deletionTimestamp bumps the generation of custom resources");

        await Client.DeleteAsync(TestResources.Widgets, "default", "w1");
        (await Client.GetAsync<Widget>(TestResources.Widgets, "default", "w1")).Metadata.ResourceVersion
            .Should().Be(deleting.Metadata.ResourceVersion, "deleting again changes nothing");

        var final = await Client.RemoveFinalizerAsync(TestResources.Widgets, deleting, Finalizer);
        final.Metadata.Finalizers.Should().BeEmpty();
        (await Client.TryGetAsync<Widget>(TestResources.Widgets, "default", "w1")).Should().BeNull();
    }

    [Fact]
    public async Task AddingAFinalizer_ToAnObjectBeingDeleted_IsForbidden()
    {
        var created = await Client.AddFinalizerAsync(TestResources.Widgets, await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1")), Finalizer);
        await Client.DeleteAsync(TestResources.Widgets, "default", "w1");
        var deleting = await Client.GetAsync<Widget>(TestResources.Widgets, "default", "w1");

        var act = () => Client.AddFinalizerAsync(TestResources.Widgets, deleting, "another/finalizer");

        var error = (await act.Should().ThrowAsync<KubernetesApiException>()).Which;
        error.IsInvalid.Should().BeTrue();
        error.Message.Should().Contain("no new finalizers can be added if the object is being deleted");
        created.Metadata.Finalizers.Should().Equal(Finalizer);
    }

    [Fact]
    public async Task FinalizerHelpers_UseTheResourceVersion_SoAConcurrentChangeIsAConflictNotALostUpdate()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse("""{"metadata": {"finalizers": ["other/controller"]}}""")!);

        var act = () => Client.AddFinalizerAsync(TestResources.Widgets, created, Finalizer);

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.IsConflict.Should().BeTrue();
        (await Client.GetAsync<Widget>(TestResources.Widgets, "default", "w1")).Metadata.Finalizers.Should().Equal("other/controller");
    }

    public static TheoryData<string, string[]> Selectors => new()
    {
        // selector, names it selects from: a{app=web,tier=front} b{app=web,tier=back} c{app=db} d{}
        { "app=web", ["a", "b"] },
        { "app==web", ["a", "b"] },
        { "app!=web", ["c", "d"] },
        { "app=web,tier!=back", ["a"] },
        { "tier", ["a", "b"] },
        { "!tier", ["c", "d"] },
        { "app in (web, db)", ["a", "b", "c"] },
        { "app notin (web),app", ["c"] },
    };

    [Theory]
    [MemberData(nameof(Selectors))]
    public async Task List_WithALabelSelector_ReturnsOnlyMatchingObjects(string selector, string[] expected)
    {
        await CreateLabelled("a", ("app", "web"), ("tier", "front"));
        await CreateLabelled("b", ("app", "web"), ("tier", "back"));
        await CreateLabelled("c", ("app", "db"));
        await CreateLabelled("d");

        var list = await Client.ListAsync<Widget>(TestResources.Widgets, "default", new ListOptions { LabelSelector = selector });

        list.Items.Select(w => w.Metadata.Name).Should().Equal(expected);
    }

    [Fact]
    public async Task List_WithAMalformedSelector_IsABadRequest()
    {
        var act = () => Client.ListAsync<Widget>(TestResources.Widgets, "default", new ListOptions { LabelSelector = "a in b" });

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task List_IsScopedToTheNamespace_OrSpansAllWithoutOne()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a", "ns1"));
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("b", "ns2"));

        (await Client.ListAsync<Widget>(TestResources.Widgets, "ns1")).Items.Select(w => w.Metadata.Name).Should().Equal("a");
        (await Client.ListAsync<Widget>(TestResources.Widgets, null)).Items.Select(w => w.Metadata.Name).Should().Equal("a", "b");
    }

    [Fact]
    public async Task List_WithLimit_PagesThroughAConsistentSnapshotWithContinueTokens()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.CreateAsync(TestResources.Widgets, TestResources.Widget($"w{i}"));
        }

        var first = await Client.ListAsync<Widget>(TestResources.Widgets, "default", new ListOptions { Limit = 2 });
        await Client.DeleteAsync(TestResources.Widgets, "default", "w3");
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w9"));
        var second = await Client.ListAsync<Widget>(TestResources.Widgets, "default", new ListOptions { Limit = 2, Continue = first.Metadata.Continue });
        var third = await Client.ListAsync<Widget>(TestResources.Widgets, "default", new ListOptions { Limit = 2, Continue = second.Metadata.Continue });

        first.Items.Select(w => w.Metadata.Name).Should().Equal("w0", "w1");
        first.Metadata.RemainingItemCount.Should().Be(3);
        second.Items.Select(w => w.Metadata.Name).Should().Equal(["w2", "w3"], "later pages come from the first page's snapshot");
        third.Items.Select(w => w.Metadata.Name).Should().Equal("w4");
        third.Metadata.Continue.Should().BeNull();
        second.Metadata.ResourceVersion.Should().Be(first.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task List_WithAContinueTokenFromBeforeCompaction_IsExpired()
    {
        for (var i = 0; i < 3; i++)
        {
            await Client.CreateAsync(TestResources.Widgets, TestResources.Widget($"w{i}"));
        }

        var first = await Client.ListAsync<Widget>(TestResources.Widgets, "default", new ListOptions { Limit = 1 });
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("later"));
        Server.CompactHistory();

        var act = () => Client.ListAsync<Widget>(TestResources.Widgets, "default", new ListOptions { Limit = 1, Continue = first.Metadata.Continue });

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.IsGone.Should().BeTrue();
    }

    [Fact]
    public async Task ListAll_FollowsContinueTokensAndReturnsTheFirstPagesResourceVersion()
    {
        for (var i = 0; i < 7; i++)
        {
            await Client.CreateAsync(TestResources.Widgets, TestResources.Widget($"w{i}"));
        }

        var all = await Client.ListAllAsync<Widget>(TestResources.Widgets, "default", new ListOptions { Limit = 3 });

        all.Items.Should().HaveCount(7);
        all.Metadata.ResourceVersion.Should().Be(Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Server.CountRequests("list", "widgets").Should().Be(3);
    }

    public static TheoryData<string, string> InvalidCreates => new()
    {
        // name, what the API server says
        { "Upper", "a lowercase RFC 1123 subdomain" },
        { "under_score", "a lowercase RFC 1123 subdomain" },
        { "", "name or generateName is required" },
    };

    [Theory]
    [MemberData(nameof(InvalidCreates))]
    public async Task Create_WithAnInvalidName_IsInvalid(string name, string expected)
    {
        var act = () => Client.CreateAsync(TestResources.Widgets, TestResources.Widget(name));

        var error = (await act.Should().ThrowAsync<KubernetesApiException>()).Which;
        error.IsInvalid.Should().BeTrue();
        error.Status!.Details!.Causes.Should().ContainSingle().Which.Field.Should().Be("metadata.name");
        error.Message.Should().Contain(expected);
    }

    [Fact]
    public async Task Create_WithGenerateName_GetsAUniqueName()
    {
        var widget = TestResources.Widget("") with { Metadata = new ObjectMeta { GenerateName = "widget-", Namespace = "default" } };

        var first = await Client.CreateAsync(TestResources.Widgets, widget);
        var second = await Client.CreateAsync(TestResources.Widgets, widget);

        first.Metadata.Name.Should().StartWith("widget-").And.HaveLength(12).And.NotBe(second.Metadata.Name);
    }

    [Fact]
    public async Task Create_WithAResourceVersion_IsRejected()
    {
        var act = () => Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1") with { Metadata = new ObjectMeta { Name = "w1", Namespace = "default", ResourceVersion = "5" } });

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.Message.Should().Contain("resourceVersion should not be set on objects to be created");
    }

    [Fact]
    public async Task ALeaseUpdate_WithoutAResourceVersion_IsRefused_AsTheLeaseStrategyAllowsNoUnconditionalUpdate()
    {
        var leases = Client.Api.CoordinationV1;
        var created = await k8s.CoordinationV1OperationsExtensions.CreateNamespacedLeaseAsync(
            leases,
            new k8s.Models.V1Lease { Metadata = new k8s.Models.V1ObjectMeta { Name = "l1" }, Spec = new k8s.Models.V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15 } },
            "default");
        created.Spec.HolderIdentity = "b";
        created.Metadata.ResourceVersion = null;

        var act = () => k8s.CoordinationV1OperationsExtensions.ReplaceNamespacedLeaseAsync(leases, created, "l1", "default");

        var error = (await act.Should().ThrowAsync<k8s.Autorest.HttpOperationException>()).Which;
        error.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity);
        error.Response.Content.Should().Contain("must be specified for an update");
        (await k8s.CoordinationV1OperationsExtensions.ReadNamespacedLeaseAsync(leases, "l1", "default")).Spec.HolderIdentity.Should().Be("a");
    }

    public static TheoryData<string, string, string> InvalidEvents => new()
    {
        // what is wrong, the Event (merged over a valid one), the field validation names (core/v1 paths, as the API server reports them)
        { "a reportingController that is no qualified name", """{"reportingController": "Reconciler Operator"}""", "reportingController" },
        { "a reportingInstance above 128 characters", $$"""{"reportingInstance": "{{new string('i', 129)}}"}""", "reportingInstance" },
        { "an action above 128 characters", $$"""{"action": "{{new string('a', 129)}}"}""", "action" },
        { "a reason above 128 characters", $$"""{"reason": "{{new string('r', 129)}}"}""", "reason" },
        { "a series of one", """{"series": {"count": 1, "lastObservedTime": "2026-03-01T12:00:00.000000Z"}}""", "series.count" },
        { "a series without lastObservedTime", """{"series": {"count": 2}}""", "series.lastObservedTime" },
        { "a core/v1 count", """{"deprecatedCount": 3}""", "count" },
        { "a core/v1 source", """{"deprecatedSource": {"component": "reconciler"}}""", "source" },
        { "a cluster-scoped object's event outside default and kube-system", """{"metadata": {"namespace": "team-a"}, "regarding": {"kind": "Node", "name": "n1", "namespace": null}}""", "involvedObject.namespace" },
    };

    /// <summary>What the API server's events.k8s.io/v1 validation refuses (pkg/apis/core/validation/events.go), so that a recorder relying on more fails here too.</summary>
    [Theory]
    [MemberData(nameof(InvalidEvents))]
    public async Task Events_ThatEventsV1ValidationRefuses_AreInvalid(string what, string change, string field)
    {
        var evt = ValidEvent("e1");
        Merge(evt, JsonNode.Parse(change)!.AsObject());

        var (code, body) = await SendEventAsync(HttpMethod.Post, "", evt.ToJsonString(), "application/json", evt["metadata"]!["namespace"]!.ToString());

        code.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity, what);
        body.Should().Contain($"\"field\":\"{field}\"", what);
    }

    [Fact]
    public async Task AValidEvent_IsCreated_AndItsSeriesMayGrow_ButWhatItSaysIsImmutable()
    {
        (await SendEventAsync(HttpMethod.Post, "", ValidEvent("e1").ToJsonString(), "application/json")).Code.Should().Be(System.Net.HttpStatusCode.Created);

        var (grown, body) = await PatchEventAsync("""{"series": {"count": 2, "lastObservedTime": "2026-03-01T12:01:00.000000Z"}}""");

        grown.Should().Be(System.Net.HttpStatusCode.OK, body);
        foreach (var (patch, field) in new[] { ("""{"note": "something else"}""", "note"), ("""{"type": "Warning"}""", "type"), ("""{"regarding": {"name": "w2"}}""", "regarding") })
        {
            var (code, refusal) = await PatchEventAsync(patch);
            code.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity, field);
            refusal.Should().Contain("field is immutable", field);
        }
    }

    private static JsonObject ValidEvent(string name) => new()
    {
        ["apiVersion"] = "events.k8s.io/v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["eventTime"] = "2026-03-01T12:00:00.000001Z",
        ["regarding"] = new JsonObject { ["apiVersion"] = "test.reconciler.dev/v1alpha1", ["kind"] = "Widget", ["name"] = "w1", ["namespace"] = "default" },
        ["type"] = "Normal",
        ["reason"] = "Created",
        ["action"] = "Reconcile",
        ["note"] = "created",
        ["reportingController"] = "test.reconciler.dev/operator",
        ["reportingInstance"] = "operator-0",
    };

    private static void Merge(JsonObject target, JsonObject change)
    {
        foreach (var (key, value) in change)
        {
            if (value is JsonObject nested && target[key] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else if (value is null)
            {
                target.Remove(key);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private Task<(System.Net.HttpStatusCode Code, string Body)> PatchEventAsync(string patch) =>
        SendEventAsync(HttpMethod.Patch, "/e1", patch, "application/merge-patch+json");

    /// <summary>Raw requests: the library's typed Event leaves out fields (a zero deprecatedCount) that validation must see.</summary>
    private async Task<(System.Net.HttpStatusCode Code, string Body)> SendEventAsync(HttpMethod method, string path, string json, string contentType, string ns = "default")
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUrl };
        using var request = new HttpRequestMessage(method, $"apis/events.k8s.io/v1/namespaces/{ns}/events{path}")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, contentType),
        };
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<Widget> CreateLabelled(string name, params (string Key, string Value)[] labels) =>
        Client.CreateAsync(TestResources.Widgets, TestResources.Widget(name, labels: labels.ToDictionary(l => l.Key, l => l.Value)));

    [Fact]
    public async Task ListAndWatch_OutsideTheGrantedNamespaces_AreForbiddenAsTheRbacAuthorizerWordsIt()
    {
        await using var restricted = await TestResources.StartServerAsync(new FakeKubernetesApiServerOptions { ListWatchNamespaces = new HashSet<string> { "team-a" } });
        using var client = restricted.CreateClient();

        (await client.ListAsync<Widget>(TestResources.Widgets, "team-a")).Items.Should().BeEmpty();
        var clusterWide = await FluentActions.Awaiting(() => client.ListAsync<Widget>(TestResources.Widgets, null)).Should().ThrowAsync<KubernetesApiException>();
        clusterWide.Which.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
        clusterWide.Which.Status!.Should().Match<KubernetesStatus>(s => s.Kind == "Status" && s.Reason == "Forbidden" && s.Code == 403);
        clusterWide.Which.Status!.Message.Should().Be(
            "widgets.test.reconciler.dev is forbidden: User \"system:anonymous\" cannot list resource \"widgets\" in API group \"test.reconciler.dev\" at the cluster scope");
        var otherNamespace = await FluentActions.Awaiting(() => client.ListAsync<Secret>(ResourceType.Secrets, "team-b")).Should().ThrowAsync<KubernetesApiException>();
        otherNamespace.Which.Status!.Message.Should().Be(
            "secrets is forbidden: User \"system:anonymous\" cannot list resource \"secrets\" in API group \"\" in the namespace \"team-b\"");
        var watch = async () =>
        {
            await foreach (var _ in client.WatchAsync<Widget>(TestResources.Widgets, null))
            {
            }
        };
        (await watch.Should().ThrowAsync<KubernetesApiException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
    }
}
