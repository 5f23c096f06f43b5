using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using IKubernetesObject = Reconciler.Kubernetes.Models.IKubernetesObject;

namespace Reconciler.Kubernetes.Events;

/// <summary>Normal events report progress; Warning events report something an operator should look at.</summary>
public enum EventType
{
    Normal,
    Warning,
}

/// <summary>Records events.k8s.io/v1 Events about objects.</summary>
public interface IEventRecorder
{
    /// <summary>
    /// Records that <paramref name="action"/> happened to <paramref name="regarding"/> for <paramref name="reason"/>
    /// (CamelCase, e.g. DriftCorrected). Never throws for API failures: events are best effort.
    /// </summary>
    Task RecordAsync(IKubernetesObject regarding, EventType type, string reason, string action, string note, CancellationToken cancellationToken = default);
}

/// <summary>Who reports events and how long repeats are folded into one Event.</summary>
public sealed record EventRecorderOptions
{
    /// <summary>The controller's qualified name, e.g. <c>support.reconciler.dev/operator</c>.</summary>
    public required string ReportingController { get; init; }

    /// <summary>This replica, e.g. the pod name or the leader-election identity; only its last 128 characters are sent.</summary>
    public required string ReportingInstance { get; init; }

    /// <summary>
    /// A repeat within this long of the previous occurrence updates the existing Event's series; later, a new
    /// Event is created (client-go's events library finishes a series after 6 minutes).
    /// </summary>
    public TimeSpan SeriesWindow { get; init; } = TimeSpan.FromMinutes(6);
}

/// <summary>
/// <see cref="IEventRecorder"/> that aggregates like client-go's events library: the same object, type,
/// reason, action and note within <see cref="EventRecorderOptions.SeriesWindow"/> bumps the existing Event's
/// <c>series.count</c> and <c>series.lastObservedTime</c> (one PATCH) instead of creating another Event.
/// </summary>
public sealed class EventRecorder : IEventRecorder
{
    // The API server rejects notes above 1 kB.
    private const int MaxNoteBytes = 1024;
    private const int MaxNameLength = 253;
    private const int MaxReportingInstanceLength = 128;

    private readonly k8s.IKubernetes _api;
    private readonly EventRecorderOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _reportingInstance;
    // Events about one object are written in order (a series is created before it is continued); events about different
    // objects do not wait for each other: one lock for all made every reconcile of every worker queue behind one request.
    private readonly KeyedGate _objects = new();
    private readonly Lock _seriesGate = new();
    private readonly Dictionary<SeriesKey, Series> _series = [];
    private DateTimeOffset _lastSweep;

    public EventRecorder(k8s.IKubernetes api, EventRecorderOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        _api = api;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;

        // The API server rejects longer ones (422), which would drop every event. The tail is kept because that is
        // where identities differ: a pod name's random suffix, the UUID after a host name.
        _reportingInstance = options.ReportingInstance.Length <= MaxReportingInstanceLength
            ? options.ReportingInstance
            : options.ReportingInstance[^MaxReportingInstanceLength..];
    }

    public async Task RecordAsync(IKubernetesObject regarding, EventType type, string reason, string action, string note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(note);
        var reference = new V1ObjectReference
        {
            ApiVersion = regarding.ApiVersion,
            Kind = regarding.Kind,
            NamespaceProperty = regarding.Metadata.Namespace,
            Name = regarding.Metadata.Name,
            Uid = regarding.Metadata.Uid,
            ResourceVersion = regarding.Metadata.ResourceVersion,
        };
        note = Truncate(note);
        var key = new SeriesKey(reference.Uid ?? $"{reference.ApiVersion}/{reference.Kind}/{reference.NamespaceProperty}/{reference.Name}", type, reason, action, note);

        using var held = await _objects.EnterAsync(key.Regarding, cancellationToken);
        try
        {
            var now = _timeProvider.GetUtcNow();
            if (Ongoing(key, now) is { } series && await TryContinueSeriesAsync(series, now, cancellationToken))
            {
                return;
            }

            var ns = reference.NamespaceProperty ?? "default";
            var created = await _api.EventsV1.CreateNamespacedEventAsync(
                new Eventsv1Event
                {
                    Metadata = new V1ObjectMeta { Name = NewEventName(reference.Name ?? "object", now), NamespaceProperty = ns },
                    EventTime = MicroTime.From(now.UtcDateTime),
                    Regarding = reference,
                    Type = type.ToString(),
                    Reason = reason,
                    Action = action,
                    Note = note,
                    ReportingController = _options.ReportingController,
                    ReportingInstance = _reportingInstance,
                },
                ns,
                cancellationToken: cancellationToken);
            lock (_seriesGate)
                _series[key] = new Series(created.Metadata.NamespaceProperty ?? ns, created.Metadata.Name, 1, now);
        }
        catch (Exception ex) when (KubernetesErrors.IsTransient(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            EventLog.RecordFailed(_logger, reason, reference.Kind, reference.Name, KubernetesErrors.Describe(ex));
        }
    }

    /// <summary>The series this event continues, if one is within the window; finished series are swept once per window, not per event.</summary>
    private Series? Ongoing(SeriesKey key, DateTimeOffset now)
    {
        lock (_seriesGate)
        {
            if (now - _lastSweep > _options.SeriesWindow)
            {
                _lastSweep = now;
                foreach (var finished in _series.Where(entry => now - entry.Value.LastObserved > _options.SeriesWindow).Select(entry => entry.Key).ToList())
                    _series.Remove(finished);
            }

            return _series.TryGetValue(key, out var series) && now - series.LastObserved <= _options.SeriesWindow ? series : null;
        }
    }

    private async Task<bool> TryContinueSeriesAsync(Series series, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = series.Count + 1;
        // A merge patch of the series only: the API server keeps everything else of the Event.
        var seen = new JsonObject
        {
            ["count"] = count,
            ["lastObservedTime"] = now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        };
        var patch = new V1Patch(new JsonObject { ["series"] = seen }.ToJsonString(), V1Patch.PatchType.MergePatch);
        try
        {
            await _api.EventsV1.PatchNamespacedEventAsync(patch, series.Name, series.Namespace, cancellationToken: cancellationToken);
            lock (_seriesGate)
            {
                series.Count = count;
                series.LastObserved = now;
            }

            return true;
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Events expire (an hour by default); start a new one.
            return false;
        }
    }

    private static string NewEventName(string objectName, DateTimeOffset now)
    {
        // client-go names events "<object>.<unix nanos in hex>"; the random tail keeps names unique when the clock stands still.
        var suffix = $".{(now.ToUnixTimeMilliseconds() * 1_000_000):x}{Random.Shared.Next(0x1000, 0xffff):x}";
        // A cut that ends on '-' or '.' would leave "-." or ".." before the suffix, which no DNS subdomain allows.
        var prefix = objectName.Length + suffix.Length > MaxNameLength ? objectName[..(MaxNameLength - suffix.Length)].TrimEnd('-', '.') : objectName;
        return prefix + suffix;
    }

    private static string Truncate(string note)
    {
        if (Encoding.UTF8.GetByteCount(note) <= MaxNoteBytes)
        {
            return note;
        }

        var builder = new StringBuilder();
        var bytes = Encoding.UTF8.GetByteCount("…");
        foreach (var rune in note.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > MaxNoteBytes)
            {
                break;
            }

            builder.Append(rune.ToString());
        }

        return builder.Append('…').ToString();
    }

    private readonly record struct SeriesKey(string Regarding, EventType Type, string Reason, string Action, string Note);

    private sealed class Series(string @namespace, string name, int count, DateTimeOffset lastObserved)
    {
        public string Namespace { get; } = @namespace;

        public string Name { get; } = name;

        public int Count { get; set; } = count;

        public DateTimeOffset LastObserved { get; set; } = lastObserved;
    }
}

internal static partial class EventLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record event {Reason} for {Kind} {Name}: {Error}")]
    public static partial void RecordFailed(ILogger logger, string reason, string? kind, string? name, string error);
}
