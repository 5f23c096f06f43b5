using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Reconciler.Core.Impact;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>
/// An observation as persistent maps: objects by id, by natural key and by ownership label, and the guards'
/// <see cref="OrgTotals"/>. A change makes a new view in O(log n) amortised that shares the rest, so the operator's cache
/// hands every reconcile a consistent view without copying the organisation, and a plan's "after" is the view with its
/// few changes applied. Where two objects of a collection share a key or label, the later one wins, as a list pass reads
/// them. The maps of a list pass are plain dictionaries under the changes (<see cref="LayeredMap{TKey}"/>): every run
/// builds one, and persistent trees of every object cost a run more than its diff.
/// </summary>
public sealed class ObservedView
{
    public static readonly ObservedView Empty = new(
        ImmutableDictionary.Create<string, LayeredMap<string>>(StringComparer.Ordinal),
        LayeredMap<(string, string)>.Empty(),
        LayeredMap<(string, string)>.Empty(),
        null,
        OrgTotals.Empty);

    private static readonly string AgentCollection = AgentKind.Description.Collection!;
    private static readonly string RoleCollection = RoleKind.Description.Collection!;

    private readonly ImmutableDictionary<string, LayeredMap<string>> _collections;
    private readonly LayeredMap<(string Collection, string Key)> _byKey;
    private readonly LayeredMap<(string Collection, string Source)> _bySource;

    private ObservedView(
        ImmutableDictionary<string, LayeredMap<string>> collections,
        LayeredMap<(string, string)> byKey,
        LayeredMap<(string, string)> bySource,
        PlatformObject? organization,
        OrgTotals totals)
    {
        _collections = collections;
        _byKey = byKey;
        _bySource = bySource;
        Organization = organization;
        Totals = totals;
    }

    public PlatformObject? Organization { get; }

    public OrgTotals Totals { get; }

    public IEnumerable<string> CollectionNames => _collections.Keys;

    /// <summary>The view of a list pass (objects in list order), built in one go rather than change by change.</summary>
    public static ObservedView From(IReadOnlyDictionary<string, IReadOnlyList<PlatformObject>> collections, PlatformObject? organization)
    {
        ArgumentNullException.ThrowIfNull(collections);
        var byCollection = ImmutableDictionary.CreateBuilder<string, LayeredMap<string>>(StringComparer.Ordinal);
        // Sized once for every object listed: grown from empty, the two tables were rebuilt a dozen times at 10,000 agents.
        var listed = 0;
        foreach (var objects in collections.Values)
            listed += objects.Count;
        var byKey = new Dictionary<(string, string), PlatformObject>(listed);
        var bySource = new Dictionary<(string, string), PlatformObject>(listed);
        IEnumerable<PlatformObject> agents = [];
        foreach (var (collection, objects) in collections)
        {
            var byId = new Dictionary<string, PlatformObject>(objects.Count, StringComparer.Ordinal);
            var replaced = false;
            foreach (var o in objects)
            {
                if (byId.TryGetValue(o.Id, out var was))
                {
                    replaced = true;
                    if (byKey.TryGetValue((collection, was.Key), out var keyed) && keyed.Id == was.Id)
                        byKey.Remove((collection, was.Key));
                    if (SourceOf(was) is { } old && bySource.TryGetValue((collection, old), out var owned) && owned.Id == was.Id)
                        bySource.Remove((collection, old));
                }

                byId[o.Id] = o;
                byKey[(collection, o.Key)] = o;
                if (SourceOf(o) is { } source)
                    bySource[(collection, source)] = o;
            }

            byCollection[collection] = LayeredMap<string>.Of(byId);

            // The list itself when every id is listed once: enumerating the persistent map costs more than the count.
            if (collection == AgentCollection)
                agents = replaced ? byCollection[collection].Values : objects;
        }

        var views = byCollection.ToImmutable();
        var roles = views.GetValueOrDefault(RoleCollection)?.Values.Select(OrgSnapshot.RoleOf) ?? [];
        return new(views, LayeredMap<(string, string)>.Of(byKey), LayeredMap<(string, string)>.Of(bySource), organization, OrgTotals.OfAgents(agents, roles));
    }

    public ObservedView WithOrganization(PlatformObject? organization) => new(_collections, _byKey, _bySource, organization, Totals);

    /// <summary>The view with a collection present (listed, possibly empty).</summary>
    public ObservedView WithCollection(string collection) =>
        _collections.ContainsKey(collection) ? this : new(_collections.Add(collection, LayeredMap<string>.Empty(StringComparer.Ordinal)), _byKey, _bySource, Organization, Totals);

    /// <summary>The view with <paramref name="value"/> added, or replacing the object with its id.</summary>
    public ObservedView With(string collection, PlatformObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var objects = _collections.GetValueOrDefault(collection) ?? LayeredMap<string>.Empty(StringComparer.Ordinal);
        var was = objects.Find(value.Id);
        var (byKey, bySource) = Unindex(collection, was);
        byKey = byKey.SetItem((collection, value.Key), value);
        if (SourceOf(value) is { } source)
            bySource = bySource.SetItem((collection, source), value);
        return new(_collections.SetItem(collection, objects.SetItem(value.Id, value)), byKey, bySource, Organization, Count(collection, was, value));
    }

    /// <summary>The view without the object with this id.</summary>
    public ObservedView Without(string collection, string id)
    {
        if (_collections.GetValueOrDefault(collection) is not { } objects || objects.Find(id) is not { } was)
            return this;
        var (byKey, bySource) = Unindex(collection, was);
        return new(_collections.SetItem(collection, objects.Remove(id)), byKey, bySource, Organization, Count(collection, was, null));
    }

    /// <summary>An object by collection and id; the organisation profile is found by its id too, so its status facts are seen.</summary>
    public PlatformObject? FindById(string collection, string id) =>
        Organization?.Id == id ? Organization : _collections.GetValueOrDefault(collection)?.Find(id);

    public PlatformObject? FindByKey(string collection, string key) => _byKey.Find((collection, key));

    /// <summary>The object Reconciler created or adopted for <paramref name="owner"/>, by its ownership label.</summary>
    public PlatformObject? FindManaged(string collection, ResourceId owner) => _bySource.Find((collection, Ownership.SourceValue(owner)));

    /// <summary>Whether any collection (or the organisation) holds an object with this id.</summary>
    public bool Contains(string id) => Organization?.Id == id || _collections.Values.Any(c => c.ContainsKey(id));

    public int CountOf(string collection) => _collections.GetValueOrDefault(collection)?.Count ?? 0;

    public IEnumerable<PlatformObject> Of(string collection) => _collections.GetValueOrDefault(collection)?.Values ?? [];

    /// <summary>A person by platform id, when the agent collection holds them.</summary>
    public Person? PersonOf(string id) => FindById(AgentCollection, id) is { } o ? OrgSnapshot.PersonOf(o) : null;

    /// <summary>A role by platform id.</summary>
    public RoleInfo? RoleOf(string id) => FindById(RoleCollection, id) is { } o ? OrgSnapshot.RoleOf(o) : null;

    /// <summary>This view as an observation; its collections are listed only when something enumerates them.</summary>
    public ObservedState ToObservedState() => new(new ListedCollections(this), Organization) { View = this };

    private (LayeredMap<(string, string)> ByKey, LayeredMap<(string, string)> BySource) Unindex(string collection, PlatformObject? was)
    {
        var (byKey, bySource) = (_byKey, _bySource);
        if (was is null)
            return (byKey, bySource);
        if (byKey.Find((collection, was.Key)) is { } keyed && keyed.Id == was.Id)
            byKey = byKey.Remove((collection, was.Key));
        if (SourceOf(was) is { } source && bySource.Find((collection, source)) is { } owned && owned.Id == was.Id)
            bySource = bySource.Remove((collection, source));
        return (byKey, bySource);
    }

    private OrgTotals Count(string collection, PlatformObject? was, PlatformObject? now)
    {
        if (collection == AgentCollection)
            return Totals.WithPerson(was is null ? null : OrgSnapshot.PersonOf(was), now is null ? null : OrgSnapshot.PersonOf(now));
        if (collection == RoleCollection)
            return Totals.WithRole(was is null ? null : OrgSnapshot.RoleOf(was), now is null ? null : OrgSnapshot.RoleOf(now));
        return Totals;
    }

    private static string? SourceOf(PlatformObject o) =>
        Ownership.IsMarked(o.Labels) ? o.Labels.GetValueOrDefault(Ownership.SourceLabel) : null;

    /// <summary>The view's collections as lists, each listed once on first use.</summary>
    private sealed class ListedCollections(ObservedView view) : IReadOnlyDictionary<string, IReadOnlyList<PlatformObject>>
    {
        private readonly ConcurrentDictionary<string, IReadOnlyList<PlatformObject>> _listed = new(StringComparer.Ordinal);

        public int Count => view._collections.Count;

        public IEnumerable<string> Keys => view._collections.Keys;

        public IEnumerable<IReadOnlyList<PlatformObject>> Values => Keys.Select(k => this[k]);

        public IReadOnlyList<PlatformObject> this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public bool ContainsKey(string key) => view._collections.ContainsKey(key);

        public bool TryGetValue(string key, out IReadOnlyList<PlatformObject> value)
        {
            if (!view._collections.TryGetValue(key, out var objects))
            {
                value = [];
                return false;
            }

            value = _listed.GetOrAdd(key, _ => [.. objects.Values]);
            return true;
        }

        public IEnumerator<KeyValuePair<string, IReadOnlyList<PlatformObject>>> GetEnumerator() =>
            Keys.Select(k => KeyValuePair.Create(k, this[k])).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
