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
    private long _specVersion;

    public int Count => _objects.Count;

    /// <summary>
    /// Moves whenever an object is added or removed, or its uid, generation or deletionTimestamp changes; not on a
    /// status or metadata-only write. Lets a reader reuse what it derived from every object's spec until a spec changes.
    /// </summary>
    public long SpecVersion => Interlocked.Read(ref _specVersion);

    public bool TryGet(ObjectKey key, [MaybeNullWhen(false)] out T obj) => _objects.TryGetValue(key, out obj);

    public T? Get(string? @namespace, string name) => _objects.GetValueOrDefault(new ObjectKey(@namespace, name));

    /// <summary>A snapshot of all objects.</summary>
    public IReadOnlyList<T> List() => [.. _objects.Values];

    /// <summary>A snapshot of the objects in one namespace.</summary>
    public IReadOnlyList<T> List(string @namespace) => [.. _objects.Where(entry => entry.Key.Namespace == @namespace).Select(entry => entry.Value)];

    public IReadOnlyList<ObjectKey> Keys() => [.. _objects.Keys];

    internal void Set(ObjectKey key, T obj)
    {
        var had = _objects.TryGetValue(key, out var old);
        _objects[key] = obj;
        if (!had || old!.Metadata.Uid != obj.Metadata.Uid || old.Metadata.Generation != obj.Metadata.Generation || old.Metadata.DeletionTimestamp != obj.Metadata.DeletionTimestamp)
            Interlocked.Increment(ref _specVersion);
    }

    internal bool Remove(ObjectKey key, [MaybeNullWhen(false)] out T obj)
    {
        if (!_objects.TryRemove(key, out obj))
            return false;
        Interlocked.Increment(ref _specVersion);
        return true;
    }
}
