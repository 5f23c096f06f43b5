using System.Text.Json.Nodes;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes;

/// <summary>
/// Generic operations on any resource type, shaped after KubernetesClient's generic client and KubeOps'
/// <c>IKubernetesClient</c> so either could replace this implementation. Failures surface as
/// <see cref="KubernetesApiException"/>. Pass <c>null</c> as the namespace for cluster-scoped resources
/// (and, for list and watch of namespaced ones, to span all namespaces).
/// </summary>
public interface IKubernetesClient
{
    /// <summary>The library's typed client, for built-in kinds (Leases, events.k8s.io Events) used directly.</summary>
    k8s.IKubernetes Api { get; }

    Task<T> GetAsync<T>(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject;

    /// <summary>One page of objects; follow <see cref="ListMeta.Continue"/> for the next page.</summary>
    Task<KubernetesList<T>> ListAsync<T>(ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject;

    Task<T> CreateAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject;

    /// <summary>PUT of the whole object; its metadata.resourceVersion is a precondition (409 Conflict when stale).</summary>
    Task<T> ReplaceAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject;

    /// <summary>PUT to the status subresource: only the status is written, guarded by metadata.resourceVersion.</summary>
    Task<T> ReplaceStatusAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject;

    /// <summary>
    /// JSON merge patch (RFC 7386). A metadata.resourceVersion inside the patch makes it conditional;
    /// a JSON null removes a field.
    /// </summary>
    Task<T> PatchAsync<T>(ResourceType type, string? @namespace, string name, JsonNode patch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject;

    /// <summary>JSON merge patch of the status subresource.</summary>
    Task<T> PatchStatusAsync<T>(ResourceType type, string? @namespace, string name, JsonNode patch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject;

    /// <summary>
    /// Requests deletion. An object with finalizers is not gone afterwards: it gets a deletionTimestamp and
    /// disappears when its last finalizer is removed.
    /// </summary>
    Task DeleteAsync(ResourceType type, string? @namespace, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams changes after <see cref="WatchOptions.ResourceVersion"/> until the server ends the watch or
    /// <paramref name="cancellationToken"/> fires. ERROR events are yielded, not thrown (410 Expired means relist), and end the stream.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceType type, string? @namespace, WatchOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject;
}

/// <summary>Filters and pagination of a list request.</summary>
public sealed record ListOptions
{
    /// <summary>Kubernetes label selector syntax, e.g. <c>app=web,tier!=db,!legacy</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Maximum objects per page; the server may return fewer.</summary>
    public int? Limit { get; init; }

    /// <summary>The <see cref="ListMeta.Continue"/> token of the previous page.</summary>
    public string? Continue { get; init; }
}

/// <summary>Where a watch starts and what it delivers.</summary>
public sealed record WatchOptions
{
    /// <summary>Deliver changes after this version; null or "0" first replays every object as ADDED.</summary>
    public string? ResourceVersion { get; init; }

    public string? LabelSelector { get; init; }

    /// <summary>Ask for BOOKMARK events, which advance the resourceVersion without object changes.</summary>
    public bool AllowBookmarks { get; init; } = true;

    /// <summary>The server ends the watch after this long; clients are expected to start a new one.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>metav1.DeleteOptions: preconditions and dependent handling for a delete.</summary>
public sealed record DeleteOptions
{
    public string Kind { get; init; } = "DeleteOptions";

    public string ApiVersion { get; init; } = "v1";

    public Preconditions? Preconditions { get; init; }

    /// <summary>Orphan, Background or Foreground.</summary>
    public string? PropagationPolicy { get; init; }

    public long? GracePeriodSeconds { get; init; }
}

/// <summary>A delete only proceeds if the object still has this uid and/or resourceVersion.</summary>
public sealed record Preconditions
{
    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }
}

/// <summary>The type of a watch event, as the API server spells it on the wire (ADDED, …).</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>One watch event: the object (or, for bookmarks, only its resourceVersion), or a status for errors.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, KubernetesStatus? Status = null)
    where T : class, IKubernetesObject;

/// <summary>Settings of <see cref="KubernetesClient"/>.</summary>
public sealed record KubernetesClientOptions
{
    /// <summary>Limit for every request except the streaming part of a watch.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Client-side sustained request rate, as client-go's QPS. 0 (the default, as controller-runtime 0.15+) leaves
    /// rate limiting to the API server's Priority and Fairness.
    /// </summary>
    public double Qps { get; init; }

    /// <summary>Requests allowed above <see cref="Qps"/> in a burst; 0 means the QPS rounded up.</summary>
    public int Burst { get; init; }

    public string UserAgent { get; init; } = "reconciler-operator";

    /// <summary>
    /// client-go's HTTP/2 health check (HTTP2_READ_IDLE_TIMEOUT_SECONDS): a connection that has received nothing for this
    /// long is pinged. At least a second; <see cref="Timeout.InfiniteTimeSpan"/> turns the check off.
    /// </summary>
    public TimeSpan Http2ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a health-check ping may go unanswered before the connection is closed (HTTP2_PING_TIMEOUT_SECONDS); at least a second.</summary>
    public TimeSpan Http2PingTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
