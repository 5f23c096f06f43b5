using System.Collections.Immutable;
using Reconciler.Core.Platform;

namespace Reconciler.Core.Engine;

/// <summary>
/// A persistent map of platform objects: a dictionary filled once (a list pass) and never written again, under the
/// changes made since as a persistent overlay (a removal is a null). Filling costs a plain dictionary's inserts instead
/// of a persistent tree's; a change costs O(log changes) and shares the rest. Once the changes outgrow a quarter of the
/// dictionary they are folded into a new one, so lookups stay O(1) and replaced objects are not kept alive.
/// </summary>
internal sealed class LayeredMap<TKey>
    where TKey : notnull
{
    private const int FoldAfter = 64;

    private readonly Dictionary<TKey, PlatformObject> _filled;
    private readonly ImmutableDictionary<TKey, PlatformObject?> _changes;

    private LayeredMap(Dictionary<TKey, PlatformObject> filled, ImmutableDictionary<TKey, PlatformObject?> changes, int count)
    {
        _filled = filled;
        _changes = changes;
        Count = count;
    }

    public int Count { get; }

    /// <summary>The objects, in no particular order (as a hashed map gives them).</summary>
    public IEnumerable<PlatformObject> Values => Entries.Select(e => e.Value);

    private IEnumerable<KeyValuePair<TKey, PlatformObject>> Entries
    {
        get
        {
            foreach (var entry in _filled)
            {
                if (!_changes.ContainsKey(entry.Key))
                    yield return entry;
            }

            foreach (var (key, value) in _changes)
            {
                if (value is not null)
                    yield return KeyValuePair.Create(key, value);
            }
        }
    }

    /// <summary>A map of <paramref name="filled"/>, which the map owns from now on: nobody may write to it again.</summary>
    public static LayeredMap<TKey> Of(Dictionary<TKey, PlatformObject> filled) =>
        new(filled, ImmutableDictionary.Create<TKey, PlatformObject?>(filled.Comparer), filled.Count);

    public static LayeredMap<TKey> Empty(IEqualityComparer<TKey>? comparer = null) => Of(new Dictionary<TKey, PlatformObject>(comparer));

    public PlatformObject? Find(TKey key) => _changes.TryGetValue(key, out var changed) ? changed : _filled.GetValueOrDefault(key);

    public bool ContainsKey(TKey key) => Find(key) is not null;

    public LayeredMap<TKey> SetItem(TKey key, PlatformObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Folded(_changes.SetItem(key, value), ContainsKey(key) ? Count : Count + 1);
    }

    public LayeredMap<TKey> Remove(TKey key)
    {
        if (!ContainsKey(key))
            return this;

        // Only a key of the filled dictionary needs a tombstone; one added since simply goes.
        return Folded(_filled.ContainsKey(key) ? _changes.SetItem(key, null) : _changes.Remove(key), Count - 1);
    }

    private LayeredMap<TKey> Folded(ImmutableDictionary<TKey, PlatformObject?> changes, int count)
    {
        var next = new LayeredMap<TKey>(_filled, changes, count);
        if (changes.Count <= FoldAfter || changes.Count <= _filled.Count / 4)
            return next;
        var filled = new Dictionary<TKey, PlatformObject>(count, _filled.Comparer);
        foreach (var (key, value) in next.Entries)
            filled[key] = value;
        return Of(filled);
    }
}
