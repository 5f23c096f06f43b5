using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Reconciler.Kubernetes.Models;
using Reconciler.Kubernetes.Tests.Fakes;
using Widget = Reconciler.Kubernetes.Models.KubernetesObject<Reconciler.Kubernetes.Tests.WidgetSpec, Reconciler.Kubernetes.Tests.WidgetStatus>;

namespace Reconciler.Kubernetes.Tests.Client;

public sealed class KubernetesClientTests : FakeApiServerTest
{

    [Fact]
    public async Task Create_FillsServerFieldsAndReturnsTheStoredObject()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));

        created.ApiVersion.Should().Be("test.reconciler.dev/v1alpha1", "the client fills apiVersion and kind from the resource type");
        created.Kind.Should().Be("Widget");
        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Metadata.ResourceVersion.Should().NotBeNullOrEmpty();
        created.Metadata.CreationTimestamp.Should().NotBeNull();
        created.Metadata.Generation.Should().Be(1);
        created.Spec.Should().Be(new WidgetSpec { Color = "red", Size = 1 });
    }

    [Fact]
    public async Task Get_ReturnsWhatWasCreated()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1", color: "blue"));

        var read = await Client.GetAsync<Widget>(TestResources.Widgets, "default", "w1");

        read.Metadata.Uid.Should().Be(created.Metadata.Uid);
        read.Spec!.Color.Should().Be("blue");
    }

    [Fact]
    public async Task Get_OfAMissingObject_ThrowsNotFoundWithTheServersStatus()
    {
        var act = () => Client.GetAsync<Widget>(TestResources.Widgets, "default", "missing");

        var error = (await act.Should().ThrowAsync<KubernetesApiException>()).Which;
        error.IsNotFound.Should().BeTrue();
        error.Status!.Reason.Should().Be("NotFound");
        error.Status.Details!.Name.Should().Be("missing");
        error.Message.Should().Contain("widgets.test.reconciler.dev \"missing\" not found");
        (await Client.TryGetAsync<Widget>(TestResources.Widgets, "default", "missing")).Should().BeNull();
    }

    [Fact]
    public async Task Create_OfAnExistingName_ThrowsAlreadyExists()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));

        var act = () => Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));

        var error = (await act.Should().ThrowAsync<KubernetesApiException>()).Which;
        error.IsAlreadyExists.Should().BeTrue();
        error.IsConflict.Should().BeFalse("AlreadyExists is a 409 but not an optimistic-concurrency conflict");
    }

    [Fact]
    public async Task Replace_WithTheCurrentResourceVersion_SucceedsAndAdvancesIt()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));

        var replaced = await Client.ReplaceAsync(TestResources.Widgets, created with { Spec = created.Spec! with { Size = 2 } });

        replaced.Spec!.Size.Should().Be(2);
        replaced.Metadata.ResourceVersion.Should().NotBe(created.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Replace_WithAStaleResourceVersion_ThrowsConflict()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        await Client.ReplaceAsync(TestResources.Widgets, created with { Spec = created.Spec! with { Size = 2 } });

        var act = () => Client.ReplaceAsync(TestResources.Widgets, created with { Spec = created.Spec! with { Size = 3 } });

        var error = (await act.Should().ThrowAsync<KubernetesApiException>()).Which;
        error.IsConflict.Should().BeTrue();
        error.StatusCode.Should().Be(HttpStatusCode.Conflict);
        error.Status!.Reason.Should().Be("Conflict");
        error.Message.Should().Contain("the object has been modified");
    }

    [Fact]
    public async Task Replace_OfACustomResourceWithoutResourceVersion_IsInvalid()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));

        var act = () => Client.ReplaceAsync(TestResources.Widgets, created with { Metadata = created.Metadata with { ResourceVersion = null } });

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.IsInvalid.Should().BeTrue();
    }

    [Fact]
    public async Task Patch_MergesFieldsAndNullRemovesThem()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1", labels: new Dictionary<string, string> { ["keep"] = "yes", ["drop"] = "yes" }));

        var patched = await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse("""
            {"metadata": {"labels": {"drop": null, "added": "yes"}}, "spec": {"size": 5}}
            """)!);

        patched.Metadata.Labels.Should().BeEquivalentTo(new Dictionary<string, string> { ["keep"] = "yes", ["added"] = "yes" });
        patched.Spec.Should().Be(new WidgetSpec { Color = "red", Size = 5 });
    }

    [Fact]
    public async Task Patch_CarryingAStaleResourceVersion_ThrowsConflict()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse("""{"spec": {"size": 2}}""")!);

        var act = () => Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = created.Metadata.ResourceVersion },
            ["spec"] = new JsonObject { ["size"] = 3 },
        });

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.IsConflict.Should().BeTrue();
    }

    [Fact]
    public async Task Delete_OfAnObjectWithoutFinalizers_RemovesItAtOnce()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));

        await Client.DeleteAsync(TestResources.Widgets, "default", "w1");

        (await Client.TryGetAsync<Widget>(TestResources.Widgets, "default", "w1")).Should().BeNull();
    }

    [Fact]
    public async Task Delete_WithAFailedUidPrecondition_ThrowsConflictAndKeepsTheObject()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));

        var act = () => Client.DeleteAsync(TestResources.Widgets, "default", "w1", new DeleteOptions { Preconditions = new Preconditions { Uid = "someone-else" } });

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.IsConflict.Should().BeTrue();
        (await Client.TryGetAsync<Widget>(TestResources.Widgets, "default", "w1")).Should().NotBeNull();
    }

    [Fact]
    public async Task Replace_CarryingTheUidOfAnObjectSinceReplaced_IsAConflict_AndAPatchOfTheUidIsInvalid()
    {
        var created = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        var stale = created with { Metadata = created.Metadata with { Uid = Guid.NewGuid().ToString() } };

        // A PUT body's uid is a precondition (the generic registry's DefaultUpdatedObjectInfo), checked like resourceVersion.
        var replace = () => Client.ReplaceAsync(TestResources.Widgets, stale);
        var patch = () => Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse($$$"""{"metadata": {"uid": "{{{stale.Metadata.Uid}}}"}}""")!);

        var conflict = (await replace.Should().ThrowAsync<KubernetesApiException>()).Which;
        conflict.IsConflict.Should().BeTrue();
        conflict.Message.Should().Contain($"Precondition failed: UID in precondition: {stale.Metadata.Uid}, UID in object meta: {created.Metadata.Uid}");
        (await patch.Should().ThrowAsync<KubernetesApiException>()).Which.IsInvalid.Should().BeTrue("a patch has no precondition of its own; the changed uid fails validation as immutable");
    }

    [Fact]
    public async Task ClusterScopedResources_AreAddressedWithoutANamespace()
    {
        var created = await Client.CreateAsync(TestResources.ClusterWidgets, TestResources.Widget("global", ns: null));
        var read = await Client.GetAsync<Widget>(TestResources.ClusterWidgets, null, "global");
        await Client.DeleteAsync(TestResources.ClusterWidgets, null, "global");

        created.Metadata.Namespace.Should().BeNull();
        read.Metadata.Uid.Should().Be(created.Metadata.Uid);
        Server.Requests.Select(r => r.Namespace).Should().AllSatisfy(ns => ns.Should().BeNull());
    }

    [Fact]
    public void AddressingAClusterScopedResourceWithANamespace_IsRejectedBeforeAnyRequest()
    {
        var act = () => Client.GetAsync<Widget>(TestResources.ClusterWidgets, "default", "x");

        act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Secrets_InTheCoreGroup_RoundTripBinaryDataAsBase64()
    {
        var bytes = new byte[] { 0, 1, 2, 250, 255 };
        await Client.CreateAsync(ResourceType.Secrets, new Secret
        {
            Metadata = new ObjectMeta { Name = "creds", Namespace = "team-a" },
            Data = new Dictionary<string, byte[]> { ["binary"] = bytes },
            StringData = new Dictionary<string, string> { ["token"] = "s3cr3t" },
        });

        var read = await Client.GetAsync<Secret>(ResourceType.Secrets, "team-a", "creds");

        read.Data!["binary"].Should().Equal(bytes);
        Encoding.UTF8.GetString(read.Data["token"]).Should().Be("s3cr3t", "the API server folds stringData into data");
        read.StringData.Should().BeNull();
        read.Type.Should().Be("Opaque");
        Server.Requests.Should().Contain(r => r.Verb == "create" && r.Resource == "secrets" && r.Namespace == "team-a");
    }

    [Fact]
    public async Task Secrets_AreUpdatedWithoutResourceVersion_BecauseBuiltInsAllowUnconditionalUpdates()
    {
        var created = await Client.CreateAsync(ResourceType.Secrets, new Secret { Metadata = new ObjectMeta { Name = "s", Namespace = "default" }, StringData = new Dictionary<string, string> { ["a"] = "1" } });

        var updated = await Client.ReplaceAsync(ResourceType.Secrets, created with { Metadata = created.Metadata with { ResourceVersion = null }, StringData = new Dictionary<string, string> { ["a"] = "2" }, Data = null });

        Encoding.UTF8.GetString(updated.Data!["a"]).Should().Be("2");
    }

    [Fact]
    public async Task UntypedAccess_WithJsonObjects_PreservesUnknownFields()
    {
        var obj = new KubernetesObject<JsonObject, JsonObject>
        {
            Metadata = new ObjectMeta { Name = "raw", Namespace = "default" },
            Spec = JsonNode.Parse("""{"color": "green", "extra": {"nested": [1, 2]}}""")!.AsObject(),
        };

        await Client.CreateAsync(TestResources.Widgets, obj);
        var read = await Client.GetAsync<KubernetesObject<JsonObject, JsonObject>>(TestResources.Widgets, "default", "raw");

        read.Spec!["extra"]!["nested"]!.AsArray().Select(n => n!.GetValue<int>()).Should().Equal(1, 2);
    }

    [Fact]
    public async Task ServerErrorsWithoutAStatusBody_StillSurfaceAsApiExceptions()
    {
        Server.FailNextRequests("get", 503);

        var act = () => Client.GetAsync<Widget>(TestResources.Widgets, "default", "any");

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Requests_WithoutTheRequiredToken_AreUnauthorized()
    {
        await using var server = await TestResources.StartServerAsync(new FakeKubernetesApiServerOptions { BearerToken = "right" });
        using var anonymous = KubernetesClient.Create(new Reconciler.Kubernetes.Configuration.KubernetesConnection(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri }, "default", "test"));
        using var authenticated = server.CreateClient();

        var act = () => anonymous.ListAsync<Secret>(ResourceType.Secrets, "default");

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await authenticated.ListAsync<Secret>(ResourceType.Secrets, "default")).Items.Should().BeEmpty();
    }
}
