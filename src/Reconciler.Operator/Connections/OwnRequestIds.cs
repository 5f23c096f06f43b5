using System.Collections.Concurrent;

namespace Reconciler.Operator.Connections;

/// <summary>
/// The request ids of the operator's most recent writes through one connection. Their audit events describe changes
/// the cache already holds, so the feed skips them instead of reading each object back.
/// </summary>
public sealed class OwnRequestIds(int capacity = 65_536)
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Add(string? requestId)
    {
        if (requestId is null || !_ids.TryAdd(requestId, 0))
            return;
        _order.Enqueue(requestId);
        // The feed is read every few seconds; only the ids of the last moments matter.
        while (_order.Count > capacity && _order.TryDequeue(out var oldest))
            _ids.TryRemove(oldest, out _);
    }

    public bool Contains(string? requestId) => requestId is not null && _ids.ContainsKey(requestId);
}
