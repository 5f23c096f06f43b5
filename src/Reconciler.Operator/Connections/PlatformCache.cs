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
    private readonly Dictionary<(string Collection, string Id), (long Sequence, PlatformObject? Value)> _recent = [];

    // Persistent: a reconcile takes the current view in O(1) and keeps a consistent organisation while others write.
    private ObservedView _view = ObservedView.Empty;
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
        var listed = ObservedView.From(observed.Collections, observed.Organization);
        lock (_gate)
        {
            _view = listed;
            _permissions = observed.Permissions;
            _placeholders = observed.Placeholders;
            foreach (var ((collection, id), (_, value)) in _recent.Where(r => r.Value.Sequence > since).ToList())
            {
                if (value is null)
                    _view = _view.Without(collection, id);
                else
                    Put(collection, value);
            }

            _recent.Clear();
            IsLoaded = true;
            LoadedAt = at;
        }
    }

    /// <summary>The cache as it is now, as an observation that later writes do not change; O(1).</summary>
    public ObservedState Snapshot()
    {
        lock (_gate)
            return _view.ToObservedState() with { Permissions = _permissions, Placeholders = _placeholders };
    }

    /// <summary>An object by collection and id; the organisation profile is found by its id too, so its status facts are seen.</summary>
    public PlatformObject? Find(string collection, string id)
    {
        lock (_gate)
            return _view.FindById(collection, id);
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
            _view = _view.Without(collection, id);
        }
    }

    private void Put(string collection, PlatformObject value) =>
        _view = KindMappers.ForCollection(collection).IsSingleton ? _view.WithOrganization(value) : _view.With(collection, value);
}
