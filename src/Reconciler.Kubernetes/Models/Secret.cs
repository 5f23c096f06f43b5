namespace Reconciler.Kubernetes.Models;

/// <summary>core/v1 Secret. <see cref="Data"/> values are raw bytes; JSON carries them base64-encoded.</summary>
public sealed record Secret : IKubernetesObject
{
    public string ApiVersion { get; init; } = "v1";

    public string Kind { get; init; } = "Secret";

    public ObjectMeta Metadata { get; init; } = new();

    public string? Type { get; init; }

    public bool? Immutable { get; init; }

    public IReadOnlyDictionary<string, byte[]>? Data { get; init; }

    /// <summary>Write-only convenience: the API server merges it into <see cref="Data"/> and never returns it.</summary>
    public IReadOnlyDictionary<string, string>? StringData { get; init; }
}
