using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;

namespace Reconciler.Operator.Connections;

/// <summary>
/// What the operator believes the platform holds, for one connection: filled by one list pass per kind, kept current
/// from the results of its own writes, so a reconcile of an unchanged resource asks the platform nothing.
/// </summary>
public sealed class PlatformCache
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Dictionary<string, PlatformObject>> collections = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Collection, string Id), (long Sequence, PlatformObject? Value)> recent = [];
    private PlatformObject? organization;
    private IReadOnlySet<string>? permissions;
    private IReadOnlySet<string>? placeholders;
    private long sequence;

    /// <summary>Whether a full list pass has completed.</summary>
    public bool IsLoaded { get; private set; }

    public DateTimeOffset? LoadedAt { get; private set; }

    /// <summary>Marks the start of a list pass; pass the mark to <see cref="Load"/>.</summary>
    public long BeginRefresh()
    {
        lock (gate)
            return sequence;
    }

    /// <summary>
    /// Replaces the cache with a list pass, except for writes that landed after the pass began: a list that started
    /// before a create must not make the cache forget it (the next reconcile would create it again).
    /// </summary>
    public void Load(ObservedState observed, DateTimeOffset at, long since)
    {
        ArgumentNullException.ThrowIfNull(observed);
        lock (gate)
        {
            collections.Clear();
            foreach (var (collection, objects) in observed.Collections)
                collections[collection] = objects.ToDictionary(o => o.Id, StringComparer.Ordinal);
            organization = observed.Organization;
            permissions = observed.Permissions;
            placeholders = observed.Placeholders;
            foreach (var ((collection, id), (_, value)) in recent.Where(r => r.Value.Sequence > since).ToList())
            {
                if (value is null)
                    collections.GetValueOrDefault(collection)?.Remove(id);
                else
                    Put(collection, value);
            }

            recent.Clear();
            IsLoaded = true;
            LoadedAt = at;
        }
    }

    public ObservedState Snapshot()
    {
        lock (gate)
        {
            var copy = collections.ToDictionary(c => c.Key, c => (IReadOnlyList<PlatformObject>)[.. c.Value.Values], StringComparer.Ordinal);
            return new ObservedState(copy, organization) { Permissions = permissions, Placeholders = placeholders };
        }
    }

    public PlatformObject? Find(string collection, string id)
    {
        lock (gate)
            return collections.GetValueOrDefault(collection)?.GetValueOrDefault(id);
    }

    public PlatformObject? FindByKey(string collection, string key)
    {
        lock (gate)
            return collections.GetValueOrDefault(collection)?.Values.FirstOrDefault(o => o.Key == key);
    }

    /// <summary>The object a resource created or adopted, by its ownership label; known as soon as the write returned.</summary>
    public PlatformObject? FindBySource(string collection, string source)
    {
        lock (gate)
        {
            return collections.GetValueOrDefault(collection)?.Values
                .FirstOrDefault(o => Ownership.IsMarked(o.Labels) && o.Labels.GetValueOrDefault(Ownership.SourceLabel) == source);
        }
    }

    public bool Contains(string id)
    {
        lock (gate)
            return organization?.Id == id || collections.Values.Any(c => c.ContainsKey(id));
    }

    public void Upsert(string collection, PlatformObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            recent[(collection, value.Id)] = (++sequence, value);
            Put(collection, value);
        }
    }

    public void Remove(string collection, string id)
    {
        lock (gate)
        {
            recent[(collection, id)] = (++sequence, null);
            collections.GetValueOrDefault(collection)?.Remove(id);
        }
    }

    private void Put(string collection, PlatformObject value)
    {
        if (KindMappers.ForCollection(collection).IsSingleton)
        {
            organization = value;
            return;
        }

        if (!collections.TryGetValue(collection, out var objects))
            collections[collection] = objects = new Dictionary<string, PlatformObject>(StringComparer.Ordinal);
        objects[value.Id] = value;
    }
}
