namespace Reconciler.Kubernetes.Models;

/// <summary>metav1.Status: the API server's description of a failed (or, for deletes, finished) request.</summary>
public sealed record KubernetesStatus
{
    public string Kind { get; init; } = "Status";

    public string ApiVersion { get; init; } = "v1";

    /// <summary>"Success" or "Failure".</summary>
    public string? Status { get; init; }

    public string? Message { get; init; }

    /// <summary>Machine-readable reason: NotFound, AlreadyExists, Conflict, Invalid, Expired, …</summary>
    public string? Reason { get; init; }

    public StatusDetails? Details { get; init; }

    public int Code { get; init; }
}

/// <summary>metav1.StatusDetails: which object a status is about and, for Invalid, the field causes.</summary>
public sealed record StatusDetails
{
    public string? Name { get; init; }

    public string? Group { get; init; }

    public string? Kind { get; init; }

    public string? Uid { get; init; }

    public IReadOnlyList<StatusCause>? Causes { get; init; }

    public int? RetryAfterSeconds { get; init; }
}

/// <summary>metav1.StatusCause: one reason a request failed, usually tied to a field path.</summary>
public sealed record StatusCause
{
    public string? Reason { get; init; }

    public string? Message { get; init; }

    public string? Field { get; init; }
}
