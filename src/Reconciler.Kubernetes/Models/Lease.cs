using System.Text.Json.Serialization;

namespace Reconciler.Kubernetes.Models;

/// <summary>coordination.k8s.io/v1 Lease, the lock object of leader election.</summary>
public sealed record Lease : IKubernetesObject
{
    public string ApiVersion { get; init; } = "coordination.k8s.io/v1";

    public string Kind { get; init; } = "Lease";

    public ObjectMeta Metadata { get; init; } = new();

    public LeaseSpec? Spec { get; init; }
}

/// <summary>The holder of a <see cref="Lease"/> and how long its claim lasts.</summary>
public sealed record LeaseSpec
{
    public string? HolderIdentity { get; init; }

    public int? LeaseDurationSeconds { get; init; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; init; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; init; }

    public int? LeaseTransitions { get; init; }
}
