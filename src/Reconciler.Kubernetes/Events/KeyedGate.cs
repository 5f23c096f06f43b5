namespace Reconciler.Kubernetes.Events;

/// <summary>
/// One at a time per key, and keys never wait for each other: a gate exists only while someone holds or awaits its key.
/// </summary>
/// <remarks>
/// A fixed set of hashed stripes let two unrelated keys share a gate (1 in 64 for two objects), so one slow request held
/// up the other object's events. The semaphores are not disposed: a SemaphoreSlim holds no OS handle unless its
/// AvailableWaitHandle is read, and a holder may release after its key's last user left.
/// </remarks>
internal sealed class KeyedGate
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The keys that are held or awaited now.</summary>
    public int Count
    {
        get
        {
            lock (_entries)
                return _entries.Count;
        }
    }

    /// <summary>Waits until no one else holds <paramref name="key"/>; disposing the result lets the next one in.</summary>
    public async Task<Holder> EnterAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
                _entries[key] = entry = new Entry();
            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key, entry);
            throw;
        }

        return new Holder(this, key, entry);
    }

    private void Leave(string key, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.Users == 0)
                _entries.Remove(key);
        }
    }

    /// <summary>A held key; disposing it releases the key once.</summary>
    public sealed class Holder : IDisposable
    {
        private readonly KeyedGate _gate;
        private readonly string _key;
        private Entry? _entry;

        internal Holder(KeyedGate gate, string key, Entry entry) => (_gate, _key, _entry) = (gate, key, entry);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _entry, null) is not { } entry)
                return;
            entry.Semaphore.Release();
            _gate.Leave(_key, entry);
        }
    }

    internal sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
