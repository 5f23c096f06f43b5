namespace Reconciler.Kubernetes.Models;

/// <summary>One page of a list response; <see cref="ListMeta.ResourceVersion"/> is where a watch should resume.</summary>
public sealed record KubernetesList<T>
    where T : class, IKubernetesObject
{
    public string? ApiVersion { get; init; }

    public string? Kind { get; init; }

    // A null read from JSON is taken as absent: a list without items is an empty list.
    public ListMeta Metadata { get; init => field = value ?? new(); } = new();

    public IReadOnlyList<T> Items { get; init => field = value ?? []; } = [];
}
