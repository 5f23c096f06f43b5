using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reconciler.Kubernetes.Models;

/// <summary>
/// A spec/status object such as a custom resource. Use records for <typeparamref name="TSpec"/> and
/// <typeparamref name="TStatus"/>, or <see cref="System.Text.Json.Nodes.JsonObject"/> for untyped access.
/// </summary>
public sealed record KubernetesObject<TSpec, TStatus> : IKubernetesObject
{
    /// <summary>Left empty, the client fills it from the <see cref="ResourceType"/> of the call.</summary>
    public string ApiVersion { get; init; } = "";

    /// <summary>Left empty, the client fills it from the <see cref="ResourceType"/> of the call.</summary>
    public string Kind { get; init; } = "";

    public ObjectMeta Metadata { get; init; } = new();

    public TSpec? Spec { get; init; }

    public TStatus? Status { get; init; }

    /// <summary>Top-level fields other than spec and status, kept across a read-modify-write.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; init; }
}
