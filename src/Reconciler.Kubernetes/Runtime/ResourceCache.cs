using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes.Runtime;

/// <summary>
/// The latest known state of every watched object, keyed by namespace/name (client-go's Indexer). Written only
/// by its <see cref="ResourceWatcher{T}"/>; reads are thread-safe and never hit the API server.
/// </summary>
public sealed class ResourceCache<T>
    where T : class, IKubernetesObject
{
    private readonly ConcurrentDictionary<ObjectKey, T> _objects = new();

    public int Count => _objects.Count;

    public bool TryGet(ObjectKey key, [MaybeNullWhen(false)] out T obj) => _objects.TryGetValue(key, out obj);

    public T? Get(string? @namespace, string name) => _objects.GetValueOrDefault(new ObjectKey(@namespace, name));

    /// <summary>A snapshot of all objects.</summary>
    public IReadOnlyList<T> List() => [.. _objects.Values];

    /// <summary>A snapshot of the objects in one namespace.</summary>
    public IReadOnlyList<T> List(string @namespace) => [.. _objects.Where(entry => entry.Key.Namespace == @namespace).Select(entry => entry.Value)];

    public IReadOnlyList<ObjectKey> Keys() => [.. _objects.Keys];

    internal void Set(ObjectKey key, T obj) => _objects[key] = obj;

    internal bool Remove(ObjectKey key, [MaybeNullWhen(false)] out T obj) => _objects.TryRemove(key, out obj);
}
