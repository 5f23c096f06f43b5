using System.Net;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes;

/// <summary>The API server refused a request; <see cref="Status"/> carries its metav1.Status when it sent one.</summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException()
    {
    }

    public KubernetesApiException(string message)
        : base(message)
    {
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubernetesApiException(HttpStatusCode statusCode, KubernetesStatus? status, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Status = status;
    }

    /// <summary>An exception for a watch ERROR event, which carries a status but no HTTP status of its own.</summary>
    public KubernetesApiException(KubernetesStatus status)
        : this((HttpStatusCode)(status ?? throw new ArgumentNullException(nameof(status))).Code, status, status.Message ?? $"The watch reported error {status.Code} {status.Reason}.")
    {
        RetryAfter = status.Details?.RetryAfterSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null;
    }

    public HttpStatusCode StatusCode { get; }

    public KubernetesStatus? Status { get; }

    /// <summary>How long the server asked the client to wait before trying again (Retry-After, or details.retryAfterSeconds); null when it did not say.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>metav1.StatusReason, e.g. Conflict or AlreadyExists; empty when the server sent no status.</summary>
    public string Reason => Status?.Reason ?? "";

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>
    /// The object <paramref name="name"/> of <paramref name="type"/> does not exist: a 404 whose details name it. A 404 about
    /// anything else (another object, a resource type the server does not serve) is not this.
    /// </summary>
    public bool IsNotFoundFor(ResourceType type, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        return IsNotFound && Status?.Details is { } details && details.Name == name && details.Kind == type.Plural && (details.Group ?? "") == type.Group;
    }

    /// <summary>A write lost an optimistic-concurrency race (stale resourceVersion or failed precondition).</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict && Reason is "Conflict" or "";

    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Reason == "AlreadyExists";

    public bool IsInvalid => StatusCode == HttpStatusCode.UnprocessableEntity;

    /// <summary>The requested resourceVersion is no longer available (HTTP 410 or reason Expired/Gone): relist.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone || Reason is "Expired" or "Gone";
}
