using System.Collections.Concurrent;

namespace Reconciler.Operator.Controllers;

/// <summary>
/// The objects the operator's own writes returned, until the informer catches up. A reconcile that starts from an
/// informer copy older than its own last write would compute the same status again and write it twice (with new
/// transition times), or fail a finalizer patch on a stale resourceVersion. resourceVersions are compared for
/// equality only, as the API conventions require: a cached version that one of our writes replaced is stale.
/// </summary>
public sealed class RecentWrites
{
    private readonly ConcurrentDictionary<string, Entry> _byUid = new(StringComparer.Ordinal);

    /// <summary>Records that a write turned <paramref name="before"/> into <paramref name="after"/>.</summary>
    public void Wrote(CustomResource before, CustomResource after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (after.Metadata.Uid is not { } uid || before.Metadata.ResourceVersion is not { } replaced)
            return;
        _byUid.AddOrUpdate(
            uid,
            _ => new Entry([replaced], after),
            (_, entry) => new Entry([.. entry.Superseded, entry.Latest.Metadata.ResourceVersion ?? replaced, replaced], after));
    }

    /// <summary>The newest copy known: the informer's, unless it is one our own writes already replaced.</summary>
    public CustomResource Freshest(CustomResource cached)
    {
        ArgumentNullException.ThrowIfNull(cached);
        if (cached.Metadata.Uid is not { } uid || !_byUid.TryGetValue(uid, out var entry))
            return cached;
        if (cached.Metadata.ResourceVersion is { } version && entry.Superseded.Contains(version))
            return entry.Latest;
        // The informer caught up with our write, or someone changed the object since: either way it is current.
        _byUid.TryRemove(KeyValuePair.Create(uid, entry));
        return cached;
    }

    /// <summary>How many objects have a write recorded; for tests.</summary>
    internal int Count => _byUid.Count;

    /// <summary>
    /// Drops what was recorded for an object the informer saw deleted. A deleted object is never reconciled from a cached
    /// copy again, so <see cref="Freshest"/> would not drop it; nor is a PlatformConnection, whose status writes are
    /// recorded too: without this a long-running operator kept an entry for every object that ever came and went.
    /// </summary>
    public void Forget(CustomResource deleted)
    {
        ArgumentNullException.ThrowIfNull(deleted);
        if (deleted.Metadata.Uid is { } uid)
            _byUid.TryRemove(uid, out _);
    }

    private sealed record Entry(HashSet<string> Superseded, CustomResource Latest);
}
