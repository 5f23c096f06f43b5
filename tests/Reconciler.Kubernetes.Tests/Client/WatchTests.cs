using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Reconciler.Kubernetes.Configuration;
using Reconciler.Kubernetes.Tests.Fakes;
using Widget = Reconciler.Kubernetes.Models.KubernetesObject<Reconciler.Kubernetes.Tests.WidgetSpec, Reconciler.Kubernetes.Tests.WidgetStatus>;

namespace Reconciler.Kubernetes.Tests.Client;

public sealed class WatchTests : FakeApiServerTest
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(10));

    public override async Task DisposeAsync()
    {
        _timeout.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Watch_FromAResourceVersion_DeliversOnlyLaterChangesInOrder()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("before"));
        var from = Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse("""{"spec": {"size": 2}}""")!);
        await Client.DeleteAsync(TestResources.Widgets, "default", "w1");

        var events = await TakeAsync(new WatchOptions { ResourceVersion = from }, 3);

        events.Select(e => (e.Type, e.Object!.Metadata.Name)).Should().Equal(
            (WatchEventType.Added, "w1"), (WatchEventType.Modified, "w1"), (WatchEventType.Deleted, "w1"));
        events[1].Object!.Spec!.Size.Should().Be(2);
        events.Select(e => long.Parse(e.Object!.Metadata.ResourceVersion!)).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task Watch_WithoutAResourceVersion_StartsWithEveryExistingObjectAsAdded()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a"));
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("b"));

        var events = await TakeAsync(new WatchOptions(), 2);

        events.Should().OnlyContain(e => e.Type == WatchEventType.Added);
        events.Select(e => e.Object!.Metadata.Name).Should().Equal("a", "b");
    }

    [Fact]
    public async Task Watch_WithBookmarksAllowed_ReceivesBookmarksCarryingOnlyTheCurrentResourceVersion()
    {
        var from = Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Client.CreateAsync(ResourceType.Secrets, new Models.Secret { Metadata = new Models.ObjectMeta { Name = "unrelated", Namespace = "default" } });
        var watch = Client.WatchAsync<Widget>(TestResources.Widgets, "default", new WatchOptions { ResourceVersion = from, AllowBookmarks = true }, _timeout.Token).GetAsyncEnumerator(_timeout.Token);
        var next = watch.MoveNextAsync();
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "the watch is open");

        Server.SendBookmarks();

        (await next).Should().BeTrue();
        watch.Current.Type.Should().Be(WatchEventType.Bookmark);
        watch.Current.Object!.Metadata.ResourceVersion.Should().Be(Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "a bookmark may move the resourceVersion past changes of other types");
        watch.Current.Object.Metadata.Name.Should().BeNull();
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Watch_FromAResourceVersionOlderThanCompaction_GetsAnExpiredErrorEvent()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a"));
        var old = Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("b"));
        Server.CompactHistory();
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("c"));

        var events = await TakeAsync(new WatchOptions { ResourceVersion = old }, 1);

        events.Should().ContainSingle().Which.Type.Should().Be(WatchEventType.Error);
        events[0].Status!.Code.Should().Be(410);
        events[0].Status!.Reason.Should().Be("Expired");
        new KubernetesApiException(events[0].Status!).IsGone.Should().BeTrue();
    }

    [Fact]
    public async Task Watch_WithALabelSelector_ReportsObjectsLeavingAndEnteringTheSelection()
    {
        var from = Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1", labels: new Dictionary<string, string> { ["team"] = "a" }));
        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse("""{"metadata": {"labels": {"team": "b"}}}""")!);
        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse("""{"spec": {"size": 7}}""")!);
        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "w1", JsonNode.Parse("""{"metadata": {"labels": {"team": "a"}}}""")!);

        var events = await TakeAsync(new WatchOptions { ResourceVersion = from, LabelSelector = "team=a" }, 3);

        events.Select(e => e.Type).Should().Equal(WatchEventType.Added, WatchEventType.Deleted, WatchEventType.Added);
        events[2].Object!.Spec!.Size.Should().Be(7);
    }

    [Fact]
    public async Task Watch_WhenTheServerClosesIt_EndsTheEnumerationNormally()
    {
        var watch = Client.WatchAsync<Widget>(TestResources.Widgets, "default", new WatchOptions(), _timeout.Token).GetAsyncEnumerator(_timeout.Token);
        var next = watch.MoveNextAsync();
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "the watch is open");

        Server.CloseAllWatches();

        (await next).Should().BeFalse();
        await watch.DisposeAsync();
    }

    [Fact]
    public async Task Watch_WithATimeout_IsEndedByTheServer()
    {
        var started = DateTime.UtcNow;
        var events = new List<WatchEvent<Widget>>();

        await foreach (var e in Client.WatchAsync<Widget>(TestResources.Widgets, "default", new WatchOptions { Timeout = TimeSpan.FromSeconds(1) }, _timeout.Token))
        {
            events.Add(e);
        }

        events.Should().BeEmpty();
        (DateTime.UtcNow - started).Should().BeGreaterThan(TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task AnErrorEventWhoseStatusHasNoKind_IsReportedAsTheErrorItIs()
    {
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"type":"ERROR","object":{"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}""" + "\n");
        });
        using var client = KubernetesClient.Create(new KubernetesConnection(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri }, "default", "test"));

        var events = new List<WatchEvent<Widget>>();
        await foreach (var e in client.WatchAsync<Widget>(TestResources.Widgets, "default", new WatchOptions { ResourceVersion = "1" }, _timeout.Token))
            events.Add(e);

        var error = events.Should().ContainSingle().Subject;
        error.Type.Should().Be(WatchEventType.Error);
        error.Status.Should().BeEquivalentTo(new { Code = 410, Reason = "Expired", Message = "too old resource version: 1 (5)" });
    }

    [Fact]
    public async Task AnErrorEvent_EndsTheWatchAtOnce_EvenIfTheServerHoldsTheStreamOpen()
    {
        // As client-go's reflector stops a watch on its ERROR event: waiting for the server to close the stream as well
        // would leave an expired watch hanging until its timeout instead of relisting.
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}""" + "\n");
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client hung up.
            }
        });
        using var client = KubernetesClient.Create(new KubernetesConnection(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri }, "default", "test"));
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        var events = new List<WatchEvent<Widget>>();
        await foreach (var e in client.WatchAsync<Widget>(TestResources.Widgets, "default", new WatchOptions { ResourceVersion = "1" }, patience.Token))
            events.Add(e);

        var error = events.Should().ContainSingle().Subject;
        error.Type.Should().Be(WatchEventType.Error);
        error.Status!.Code.Should().Be(410);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AWatch_HasAConnectionOfItsOwn_ThatNoRequestAfterItReuses(bool endedByAnError)
    {
        // A watch is ended by cancelling its read; a connection cancelled just as its response completed could go back to
        // the pool and swallow the answer to the next request sent on it, which then waited out its whole timeout.
        var from = Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        if (endedByAnError)
        {
            Server.CompactHistory();
        }

        var watching = Task.Run(async () =>
        {
            await foreach (var change in Client.WatchAsync<Widget>(TestResources.Widgets, "default", new WatchOptions { ResourceVersion = from }, _timeout.Token))
            {
                change.Type.Should().Be(endedByAnError ? WatchEventType.Error : WatchEventType.Added);
            }
        });
        if (!endedByAnError)
        {
            await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "the watch is open");
            Server.CloseAllWatches();
        }

        await watching;
        await Client.ListAsync<Widget>(TestResources.Widgets, "default");

        var watch = Server.Requests.Single(r => r.Verb == "watch");
        Server.Requests.Single(r => r.Verb == "list").Connection.Should().NotBe(watch.Connection);
    }

    private async Task<List<WatchEvent<Widget>>> TakeAsync(WatchOptions options, int count)
    {
        var events = new List<WatchEvent<Widget>>();
        await foreach (var e in Client.WatchAsync<Widget>(TestResources.Widgets, "default", options, _timeout.Token))
        {
            events.Add(e);
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }
}
