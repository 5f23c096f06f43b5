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
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, PlatformObject>> _collections = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Collection, string Id), (long Sequence, PlatformObject? Value)> _recent = [];
    private PlatformObject? _organization;
    private IReadOnlySet<string>? _permissions;
    private IReadOnlySet<string>? _placeholders;
    private long _sequence;

    /// <summary>Whether a full list pass has completed.</summary>
    public bool IsLoaded { get; private set; }

    public DateTimeOffset? LoadedAt { get; private set; }

    /// <summary>Marks the start of a list pass; pass the mark to <see cref="Load"/>.</summary>
    public long BeginRefresh()
    {
        lock (_gate)
            return _sequence;
    }

    /// <summary>
    /// Replaces the cache with a list pass, except for writes that landed after the pass began: a list that started
    /// before a create must not make the cache forget it (the next reconcile would create it again).
    /// </summary>
    public void Load(ObservedState observed, DateTimeOffset at, long since)
    {
        ArgumentNullException.ThrowIfNull(observed);
        lock (_gate)
        {
            _collections.Clear();
            foreach (var (collection, objects) in observed.Collections)
                _collections[collection] = objects.ToDictionary(o => o.Id, StringComparer.Ordinal);
            _organization = observed.Organization;
            _permissions = observed.Permissions;
            _placeholders = observed.Placeholders;
            foreach (var ((collection, id), (_, value)) in _recent.Where(r => r.Value.Sequence > since).ToList())
            {
                if (value is null)
                    _collections.GetValueOrDefault(collection)?.Remove(id);
                else
                    Put(collection, value);
            }

            _recent.Clear();
            IsLoaded = true;
            LoadedAt = at;
        }
    }

    public ObservedState Snapshot()
    {
        lock (_gate)
        {
            var copy = _collections.ToDictionary(c => c.Key, c => (IReadOnlyList<PlatformObject>)[.. c.Value.Values], StringComparer.Ordinal);
            return new ObservedState(copy, _organization) { Permissions = _permissions, Placeholders = _placeholders };
        }
    }

    /// <summary>An object by collection and id; the organisation profile is found by its id too, so its status facts are seen.</summary>
    public PlatformObject? Find(string collection, string id)
    {
        lock (_gate)
            return _organization?.Id == id ? _organization : _collections.GetValueOrDefault(collection)?.GetValueOrDefault(id);
    }

    public PlatformObject? FindByKey(string collection, string key)
    {
        lock (_gate)
            return _collections.GetValueOrDefault(collection)?.Values.FirstOrDefault(o => o.Key == key);
    }

    /// <summary>The object a resource created or adopted, by its ownership label; known as soon as the write returned.</summary>
    public PlatformObject? FindBySource(string collection, string source)
    {
        lock (_gate)
        {
            return _collections.GetValueOrDefault(collection)?.Values
                .FirstOrDefault(o => Ownership.IsMarked(o.Labels) && o.Labels.GetValueOrDefault(Ownership.SourceLabel) == source);
        }
    }

    public bool Contains(string id)
    {
        lock (_gate)
            return _organization?.Id == id || _collections.Values.Any(c => c.ContainsKey(id));
    }

    public void Upsert(string collection, PlatformObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _recent[(collection, value.Id)] = (++_sequence, value);
            Put(collection, value);
        }
    }

    public void Remove(string collection, string id)
    {
        lock (_gate)
        {
            _recent[(collection, id)] = (++_sequence, null);
            _collections.GetValueOrDefault(collection)?.Remove(id);
        }
    }

    private void Put(string collection, PlatformObject value)
    {
        if (KindMappers.ForCollection(collection).IsSingleton)
        {
            _organization = value;
            return;
        }

        if (!_collections.TryGetValue(collection, out var objects))
            _collections[collection] = objects = new Dictionary<string, PlatformObject>(StringComparer.Ordinal);
        objects[value.Id] = value;
    }
}
