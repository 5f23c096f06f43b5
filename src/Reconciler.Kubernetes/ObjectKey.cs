using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes;

/// <summary>Namespace and name of an object: the key of caches and work queues (client-go's "namespace/name").</summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    public static ObjectKey From(IKubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectKey(obj.Metadata.Namespace, obj.Metadata.Name ?? throw new ArgumentException("The object has no metadata.name.", nameof(obj)));
    }

    /// <summary>Parses "namespace/name" or, for cluster-scoped objects, "name".</summary>
    public static ObjectKey Parse(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new ObjectKey(null, key) : new ObjectKey(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
