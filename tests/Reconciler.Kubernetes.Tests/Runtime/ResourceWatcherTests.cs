using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Reconciler.Kubernetes.Runtime;
using Reconciler.Kubernetes.Tests.Fakes;
using Widget = Reconciler.Kubernetes.Models.KubernetesObject<Reconciler.Kubernetes.Tests.WidgetSpec, Reconciler.Kubernetes.Tests.WidgetStatus>;

namespace Reconciler.Kubernetes.Tests.Runtime;

public sealed class ResourceWatcherTests : FakeApiServerTest
{
    private static readonly ResourceWatcherOptions FastRecovery = new()
    {
        Namespaces = ["default"],
        InitialBackoff = TimeSpan.FromMilliseconds(40),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    private readonly ConcurrentQueue<ResourceEvent<Widget>> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public override async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Run_ListsPageByPage_ReportsExistingObjectsAsAdded_AndMarksItselfSynced()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            await Client.CreateAsync(TestResources.Widgets, TestResources.Widget(name));
        }

        var watcher = await StartAsync(FastRecovery with { PageSize = 2 });

        watcher.HasSynced.Should().BeTrue();
        watcher.Cache.List().Select(w => w.Metadata.Name).Should().BeEquivalentTo(["a", "b", "c"]);
        watcher.Cache.Get("default", "b")!.Spec!.Color.Should().Be("red");
        Names(ResourceEventType.Added).Should().BeEquivalentTo(["a", "b", "c"]);
        Server.CountRequests("list", "widgets").Should().Be(2);
        watcher.LastSyncResourceVersion.Should().Be(Rv());
    }

    [Fact]
    public async Task Run_ReportsLaterChangesAsUpdatesWithTheOldObjectAndAsDeletes()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a"));
        var watcher = await StartAsync();

        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "a", JsonNode.Parse("""{"spec": {"color": "blue"}}""")!);
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("b"));
        await Client.DeleteAsync(TestResources.Widgets, "default", "b");
        await TestResources.EventuallyAsync(() => Names(ResourceEventType.Deleted).Contains("b"), "the delete arrives");

        var update = _events.Single(e => e.Type == ResourceEventType.Updated);
        update.OldObject!.Spec!.Color.Should().Be("red");
        update.Object.Spec!.Color.Should().Be("blue");
        Names(ResourceEventType.Added).Should().Equal("a", "b");
        watcher.Cache.List().Select(w => w.Metadata.Name).Should().Equal("a");
        watcher.Cache.Get("default", "a")!.Spec!.Color.Should().Be("blue");
    }

    [Fact]
    public async Task Run_OnABookmark_AdvancesTheResourceVersionWithoutReportingAnything()
    {
        var watcher = await StartAsync();
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "the watch is open");
        await Client.CreateAsync(Reconciler.Kubernetes.ResourceType.Secrets, new Models.Secret { Metadata = new Models.ObjectMeta { Name = "other", Namespace = "default" } });

        Server.SendBookmarks();

        await TestResources.EventuallyAsync(() => watcher.LastSyncResourceVersion == Rv(), "the bookmark arrives");
        _events.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_WhenTheWatchIsCut_ResumesFromTheLastResourceVersionWithoutLosingEventsOrRelisting()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a"));
        var watcher = await StartAsync();
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "the watch is open");

        // Keep the watcher away for a few reconnect attempts while things change.
        Server.FailNextRequests("watch", 503, count: 2);
        Server.CloseAllWatches();
        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "a", JsonNode.Parse("""{"spec": {"size": 5}}""")!);
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("b"));
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("c"));
        await Client.DeleteAsync(TestResources.Widgets, "default", "c");

        await TestResources.EventuallyAsync(() => Names(ResourceEventType.Deleted).Contains("c"), "the changes made while disconnected arrive");
        Names(ResourceEventType.Added).Should().Equal("a", "b", "c");
        Names(ResourceEventType.Updated).Should().Equal("a");
        watcher.Cache.Get("default", "a")!.Spec!.Size.Should().Be(5);
        Server.CountRequests("list", "widgets").Should().Be(1, "resuming a watch needs no relist");
        Server.CountRequests("watch", "widgets").Should().BeGreaterThanOrEqualTo(4, "one cut watch, two refused attempts, one resumed watch");
    }

    [Fact]
    public async Task Run_WhenItsResourceVersionWasCompacted_RelistsAndReportsEverythingThatChangedMeanwhile()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("kept"));
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("changed"));
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("removed"));
        var watcher = await StartAsync();
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "the watch is open");

        Server.FailNextRequests("watch", 503, count: 2);
        Server.CloseAllWatches();
        await Client.PatchAsync<Widget>(TestResources.Widgets, "default", "changed", JsonNode.Parse("""{"spec": {"color": "green"}}""")!);
        await Client.DeleteAsync(TestResources.Widgets, "default", "removed");
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("new"));
        Server.CompactHistory();

        await TestResources.EventuallyAsync(() => Names(ResourceEventType.Added).Contains("new"), "the relist happens");
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "watching resumes after the relist");
        Names(ResourceEventType.Deleted).Should().Equal("removed");
        Names(ResourceEventType.Updated).Should().Equal("changed");
        watcher.Cache.Get("default", "changed")!.Spec!.Color.Should().Be("green");
        watcher.Cache.List().Select(w => w.Metadata.Name).Should().BeEquivalentTo(["kept", "changed", "new"]);
        Server.CountRequests("list", "widgets").Should().Be(2);

        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("after"));
        await TestResources.EventuallyAsync(() => Names(ResourceEventType.Added).Contains("after"), "the new watch delivers");
    }

    [Fact]
    public async Task Run_WhenTheWatchRequestIsRefusedWithHttp410_Relists()
    {
        var watcher = await StartAsync();
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "the watch is open");

        Server.FailNextRequests("watch", 410);
        Server.CloseAllWatches();

        await TestResources.EventuallyAsync(() => Server.CountRequests("list", "widgets") == 2, "a 410 leads to a relist");
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "watching resumes");
        watcher.HasSynced.Should().BeTrue();
    }

    [Fact]
    public async Task Run_WhenTheWatchEndsWithAnErrorEventOtherThanExpired_Relists()
    {
        // client-go's reflector lists again after any ERROR event but a 429: a watch resumed from the version the
        // server could not serve would most likely meet the same error, for as long as the informer runs.
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a"));
        var watcher = await StartAsync();
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "the watch is open");

        Server.FailOpenWatches(500, "InternalError", "Internal error occurred: conversion webhook for test.reconciler.dev/v1alpha1, Kind=Widget failed");

        await TestResources.EventuallyAsync(() => Server.CountRequests("list", "widgets") == 2, "the ERROR leads to a relist");
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 1, "watching resumes");
        watcher.Cache.List().Select(w => w.Metadata.Name).Should().Equal("a");
        Names(ResourceEventType.Deleted).Should().BeEmpty();
    }

    [Fact]
    public async Task Run_WhenTheWatchIsThrottled_WaitsAsLongAsRetryAfterAsks()
    {
        // Priority and Fairness refuses with 429 and says when to come back; coming back sooner only meets another 429.
        var clock = new FakeTimeProvider();
        Server.ThrottleNextRequests("watch", retryAfterSeconds: 30, resource: "widgets");
        await StartAsync(FastRecovery, clock);
        await TestResources.EventuallyAsync(() => Server.CountRequests("watch", "widgets") == 1, "the first watch is refused");
        await Task.Delay(300);

        clock.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(300);
        Server.CountRequests("watch", "widgets").Should().Be(1, "the server asked for 30 seconds, far more than the backoff");

        await TestResources.EventuallyAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromSeconds(10));
                return Server.OpenWatchCount == 1;
            },
            "watching resumes once the wait is over");
    }

    [Fact]
    public async Task Run_WithSeveralNamespaces_ListsAndWatchesEachWithinIt_IntoOneCache()
    {
        await using var restricted = await TestResources.StartServerAsync(new FakeKubernetesApiServerOptions { ListWatchNamespaces = new HashSet<string> { "team-a", "team-b" } });
        using var client = restricted.CreateClient();
        await client.CreateAsync(TestResources.Widgets, TestResources.Widget("a", "team-a"));
        await client.CreateAsync(TestResources.Widgets, TestResources.Widget("b", "team-b"));
        await client.CreateAsync(TestResources.Widgets, TestResources.Widget("elsewhere", "team-c"));
        var watcher = new ResourceWatcher<Widget>(client, TestResources.Widgets, FastRecovery with { Namespaces = ["team-a", "team-b"] });
        watcher.AddHandler(_events.Enqueue);
        _running = watcher.RunAsync(_stop.Token);
        await watcher.WaitForSyncAsync(_stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await TestResources.EventuallyAsync(() => restricted.OpenWatchCount == 2, "both namespaces are watched");

        await client.CreateAsync(TestResources.Widgets, TestResources.Widget("a2", "team-a"));
        await client.DeleteAsync(TestResources.Widgets, "team-b", "b");
        // Each namespace has a watch of its own, and two watches keep no order between them: both changes are awaited.
        await TestResources.EventuallyAsync(
            () => Names(ResourceEventType.Deleted).Contains("b") && Names(ResourceEventType.Added).Contains("a2"), "the changes in both namespaces arrive");

        watcher.Cache.Keys().Select(k => k.ToString()).Should().BeEquivalentTo(["team-a/a", "team-a/a2"]);
        Names(ResourceEventType.Added).Should().BeEquivalentTo(["a", "b", "a2"]);
        restricted.Requests.Where(r => r.Verb is "list" or "watch").Should().OnlyContain(r => r.Namespace == "team-a" || r.Namespace == "team-b");
    }

    [Fact]
    public async Task Run_WhenOneNamespaceRelists_ReportsDeletionsInThatNamespaceOnly()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a", "team-a"));
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("b", "team-b"));
        var watcher = await StartAsync(FastRecovery with { Namespaces = ["team-a", "team-b"] });
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 2, "both namespaces are watched");

        Server.FailNextRequests("watch", 410);
        Server.CloseAllWatches();

        await TestResources.EventuallyAsync(() => Server.CountRequests("list", "widgets") == 3, "the refused namespace relists");
        await TestResources.EventuallyAsync(() => Server.OpenWatchCount == 2, "both namespaces are watched again");
        Names(ResourceEventType.Deleted).Should().BeEmpty();
        watcher.Cache.Count.Should().Be(2);
    }

    [Fact]
    public async Task Run_WhenTheServerIsBehindItsResourceVersion_RelistsInsteadOfWaitingForTheServerToCatchUp()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("kept"));
        var backup = Server.Backup();
        var watcher = await StartAsync();
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("lost"));
        await TestResources.EventuallyAsync(() => Names(ResourceEventType.Added).Contains("lost"), "the watcher sees the object that the restore loses");

        // etcd restored from a backup taken before "lost": the server's resourceVersion is now behind the watcher's.
        Server.Restore(backup);

        await TestResources.EventuallyAsync(() => Names(ResourceEventType.Deleted).Contains("lost"), "a relist reports what the restore removed");
        watcher.Cache.List().Select(w => w.Metadata.Name).Should().Equal("kept");
        Server.CountRequests("list", "widgets").Should().Be(2);
    }

    [Fact]
    public async Task Run_WhenEveryContinueTokenExpires_ListsEverythingInOneUnpagedRequest()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            await Client.CreateAsync(TestResources.Widgets, TestResources.Widget(name));
        }

        Server.CompactBetweenPages = true;

        var watcher = await StartAsync(FastRecovery with { PageSize = 1 });

        watcher.Cache.List().Select(w => w.Metadata.Name).Should().BeEquivalentTo(["a", "b", "c"]);
        Server.CountRequests("list", "widgets").Should().Be(3, "the first page, the expired second page, and one full list");
    }

    [Fact]
    public async Task Run_WhenListingFails_RetriesWithBackoffUntilItSyncs()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a"));
        Server.FailNextRequests("list", 500, count: 2);

        var watcher = await StartAsync();

        watcher.Cache.Count.Should().Be(1);
        Server.CountRequests("list", "widgets").Should().Be(3);
    }

    [Fact]
    public async Task Run_EveryResyncPeriod_OffersEveryCachedObjectAgain()
    {
        var clock = new FakeTimeProvider();
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a"));
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("b"));
        await StartAsync(FastRecovery with { ResyncPeriod = TimeSpan.FromMinutes(10) }, clock);

        clock.Advance(TimeSpan.FromMinutes(9));
        Names(ResourceEventType.Resynced).Should().BeEmpty();
        clock.Advance(TimeSpan.FromMinutes(1));
        await TestResources.EventuallyAsync(() => Names(ResourceEventType.Resynced).Count == 2, "the first resync");
        clock.Advance(TimeSpan.FromMinutes(10));
        await TestResources.EventuallyAsync(() => Names(ResourceEventType.Resynced).Count == 4, "the second resync");

        Names(ResourceEventType.Resynced).Should().BeEquivalentTo(["a", "b", "a", "b"]);
    }

    [Fact]
    public async Task AHandlerThatThrows_DoesNotStopTheWatchOrOtherHandlers()
    {
        var watcher = new ResourceWatcher<Widget>(Client, TestResources.Widgets, FastRecovery);
        watcher.AddHandler(_ => throw new InvalidOperationException("broken handler"));
        watcher.AddHandler(_events.Enqueue);
        _running = watcher.RunAsync(_stop.Token);
        await watcher.WaitForSyncAsync(_stop.Token);

        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a"));
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("b"));

        await TestResources.EventuallyAsync(() => Names(ResourceEventType.Added).Count == 2, "both adds reach the healthy handler");
    }

    [Fact]
    public async Task AddHandler_AfterSync_ReplaysTheCacheToTheNewHandlerAsAdded()
    {
        await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("a"));
        var watcher = await StartAsync();
        var late = new List<ResourceEvent<Widget>>();

        watcher.AddHandler(late.Add);

        late.Should().ContainSingle().Which.Should().Match<ResourceEvent<Widget>>(e => e.Type == ResourceEventType.Added && e.Object.Metadata.Name == "a");
    }

    [Fact]
    public async Task Run_WhenCancelled_ReturnsWithoutThrowing()
    {
        await StartAsync();

        await _stop.CancelAsync();

        await _running.WaitAsync(TimeSpan.FromSeconds(5));
        _running.IsCompletedSuccessfully.Should().BeTrue();
    }

    private async Task<ResourceWatcher<Widget>> StartAsync(ResourceWatcherOptions? options = null, TimeProvider? timeProvider = null)
    {
        var watcher = new ResourceWatcher<Widget>(Client, TestResources.Widgets, options ?? FastRecovery, timeProvider);
        watcher.AddHandler(_events.Enqueue);
        _running = watcher.RunAsync(_stop.Token);
        await watcher.WaitForSyncAsync(_stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        return watcher;
    }

    private List<string> Names(ResourceEventType type) => [.. _events.Where(e => e.Type == type).Select(e => e.Object.Metadata.Name!)];

    private string Rv() => Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
