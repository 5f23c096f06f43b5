using Microsoft.Extensions.Time.Testing;
using k8s;
using k8s.Models;
using Reconciler.Kubernetes.Events;
using Widget = Reconciler.Kubernetes.Models.KubernetesObject<Reconciler.Kubernetes.Tests.WidgetSpec, Reconciler.Kubernetes.Tests.WidgetStatus>;

namespace Reconciler.Kubernetes.Tests.Events;

public sealed class EventRecorderTests : FakeApiServerTest
{
    private readonly FakeTimeProvider _clock = new();
    private EventRecorder _recorder = null!;
    private Widget _widget = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _recorder = new EventRecorder(Client.Api, new EventRecorderOptions { ReportingController = "test.reconciler.dev/operator", ReportingInstance = "operator-0" }, _clock);
        _widget = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1", "team-a"));
    }

    [Fact]
    public async Task Record_CreatesAnEventAboutTheObjectInItsNamespace()
    {
        await _recorder.RecordAsync(_widget, EventType.Normal, "Created", "Create", "Created agent 42 on the platform");

        var evt = (await EventsAsync()).Should().ContainSingle().Subject;
        evt.Metadata.Name.Should().StartWith("w1.");
        evt.Regarding.Should().BeEquivalentTo(new V1ObjectReference
        {
            ApiVersion = "test.reconciler.dev/v1alpha1",
            Kind = "Widget",
            NamespaceProperty = "team-a",
            Name = "w1",
            Uid = _widget.Metadata.Uid,
            ResourceVersion = _widget.Metadata.ResourceVersion,
        });
        evt.Type.Should().Be("Normal");
        evt.Reason.Should().Be("Created");
        evt.Action.Should().Be("Create");
        evt.Note.Should().Be("Created agent 42 on the platform");
        evt.ReportingController.Should().Be("test.reconciler.dev/operator");
        evt.ReportingInstance.Should().Be("operator-0");
        evt.EventTime.Should().BeCloseTo(_clock.GetUtcNow().UtcDateTime, TimeSpan.FromMilliseconds(1));
        evt.Series.Should().BeNull();
    }

    [Fact]
    public async Task Repeats_WithinTheWindow_UpdateOneEventsSeriesInsteadOfCreatingMore()
    {
        await _recorder.RecordAsync(_widget, EventType.Warning, "SyncFailed", "Sync", "platform unavailable");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _recorder.RecordAsync(_widget, EventType.Warning, "SyncFailed", "Sync", "platform unavailable");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _recorder.RecordAsync(_widget, EventType.Warning, "SyncFailed", "Sync", "platform unavailable");

        var evt = (await EventsAsync()).Should().ContainSingle().Subject;
        evt.Series!.Count.Should().Be(3);
        evt.Series.LastObservedTime.Should().Be(_clock.GetUtcNow().UtcDateTime);
        Server.CountRequests("create", "events").Should().Be(1);
        Server.CountRequests("patch", "events").Should().Be(2);
    }

    public static TheoryData<string, EventType, string, string> Different => new()
    {
        // what differs, type, reason, note
        { "note", EventType.Warning, "SyncFailed", "token rejected" },
        { "reason", EventType.Warning, "ValidationFailed", "platform unavailable" },
        { "type", EventType.Normal, "SyncFailed", "platform unavailable" },
    };

    [Theory]
    [MemberData(nameof(Different))]
    public async Task Events_ThatDifferInTypeReasonOrNote_AreRecordedSeparately(string difference, EventType type, string reason, string note)
    {
        await _recorder.RecordAsync(_widget, EventType.Warning, "SyncFailed", "Sync", "platform unavailable");

        await _recorder.RecordAsync(_widget, type, reason, "Sync", note);

        (await EventsAsync()).Should().HaveCount(2, because: $"the {difference} differs");
    }

    [Fact]
    public async Task ARepeatAfterTheWindow_StartsANewEvent()
    {
        await _recorder.RecordAsync(_widget, EventType.Normal, "DriftCorrected", "Update", "spec.model reverted");

        _clock.Advance(TimeSpan.FromMinutes(7));
        await _recorder.RecordAsync(_widget, EventType.Normal, "DriftCorrected", "Update", "spec.model reverted");

        (await EventsAsync()).Should().HaveCount(2).And.OnlyContain(e => e.Series == null);
    }

    [Fact]
    public async Task ARepeatOfAnEventThatExpired_CreatesItAgain()
    {
        await _recorder.RecordAsync(_widget, EventType.Normal, "Updated", "Update", "changed");
        var first = (await EventsAsync()).Single();
        await Client.Api.EventsV1.DeleteNamespacedEventAsync(first.Metadata.Name, "team-a");

        await _recorder.RecordAsync(_widget, EventType.Normal, "Updated", "Update", "changed");

        (await EventsAsync()).Should().ContainSingle().Which.Metadata.Name.Should().NotBe(first.Metadata.Name);
    }

    [Fact]
    public async Task ClusterScopedObjects_GetTheirEventsInTheDefaultNamespace()
    {
        var global = await Client.CreateAsync(TestResources.ClusterWidgets, TestResources.Widget("global", ns: null));

        await _recorder.RecordAsync(global, EventType.Normal, "Created", "Create", "ok");

        (await EventsAsync("default")).Should().ContainSingle().Which.Regarding!.NamespaceProperty.Should().BeNull();
    }

    [Fact]
    public async Task ALongNote_IsTruncatedToWhatTheApiServerAccepts()
    {
        await _recorder.RecordAsync(_widget, EventType.Warning, "SyncFailed", "Sync", new string('é', 2000));

        var note = (await EventsAsync()).Single().Note!;
        System.Text.Encoding.UTF8.GetByteCount(note).Should().BeLessThanOrEqualTo(1024);
        note.Should().EndWith("…");
    }

    [Fact]
    public async Task Recording_WhenTheApiServerFails_DoesNotThrow()
    {
        Server.FailNextRequests("create", 500, resource: "events");

        var act = () => _recorder.RecordAsync(_widget, EventType.Normal, "Created", "Create", "ok");

        await act.Should().NotThrowAsync();
        (await EventsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task An_event_about_one_object_does_not_wait_for_a_slow_event_about_another()
    {
        using var holding = new HoldingHandler("\"name\":\"w1\"");
        using var api = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Server.CreateKubeconfig()))), holding);
        var recorder = new EventRecorder(api, new EventRecorderOptions { ReportingController = "test.reconciler.dev/operator", ReportingInstance = "operator-0" }, _clock);
        var other = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget("w2", "team-a"));

        var slow = recorder.RecordAsync(_widget, EventType.Normal, "Created", "Create", "w1 created");
        await holding.Held.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await recorder.RecordAsync(other, EventType.Normal, "Created", "Create", "w2 created").WaitAsync(TimeSpan.FromSeconds(10));
        slow.IsCompleted.Should().BeFalse("the first event's request is still held");
        holding.Release.SetResult();
        await slow.WaitAsync(TimeSpan.FromSeconds(10));

        (await EventsAsync()).Select(e => e.Note).Should().BeEquivalentTo("w1 created", "w2 created");
    }

    [Theory]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("--")]
    [InlineData("x")]
    public async Task TheNameOfAnEventAboutALongNamedObject_IsAValidName_WhereverTheCutFalls(string endOfCut)
    {
        // "<object>.<unix nanos in hex><4 hex>": the object's name is cut so that the whole fits in 253 characters.
        var suffix = 1 + $"{_clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000:x}".Length + 4;
        var cut = 253 - suffix;
        var name = new string('a', cut - endOfCut.Length) + endOfCut + new string('b', 253 - cut);
        var regarding = await Client.CreateAsync(TestResources.Widgets, TestResources.Widget(name, "team-a"));

        await _recorder.RecordAsync(regarding, EventType.Normal, "Created", "Create", "created");

        var evt = (await EventsAsync()).Should().ContainSingle("the API server accepted the event").Subject;
        evt.Metadata.Name.Should().MatchRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
        evt.Metadata.Name.Length.Should().BeLessThanOrEqualTo(253);
        evt.Metadata.Name.Should().StartWith(name[..(cut - endOfCut.Length)]);
    }

    [Fact]
    public async Task AReportingInstanceAboveTheApiServersLimit_KeepsItsLast128Characters()
    {
        var instance = new string('h', 150) + "_0b5e2c0e-4b0e-4c59-9a3c-2f1e8d6a7b90";
        var recorder = new EventRecorder(Client.Api, new EventRecorderOptions { ReportingController = "test.reconciler.dev/operator", ReportingInstance = instance }, _clock);

        await recorder.RecordAsync(_widget, EventType.Normal, "Created", "Create", "created");

        (await EventsAsync()).Should().ContainSingle().Which.ReportingInstance.Should().Be(instance[^128..]);
    }

    private async Task<IList<Eventsv1Event>> EventsAsync(string ns = "team-a") =>
        (await Client.Api.EventsV1.ListNamespacedEventAsync(ns)).Items;

    /// <summary>Holds the event create whose body contains a marker until released.</summary>
    private sealed class HoldingHandler(string marker) : DelegatingHandler
    {
        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.Content is { } content && (await content.ReadAsStringAsync(cancellationToken)).Contains(marker, StringComparison.Ordinal))
            {
                Held.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
