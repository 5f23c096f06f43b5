using System.Collections.Concurrent;

namespace Reconciler.Operator.Connections;

/// <summary>
/// The request ids of the operator's most recent writes through one connection. Their audit events describe changes
/// the cache already holds, so the feed skips them instead of reading each object back.
/// </summary>
public sealed class OwnRequestIds(int capacity = 65_536)
{
    private readonly ConcurrentDictionary<string, byte> ids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> order = new();

    public void Add(string? requestId)
    {
        if (requestId is null || !ids.TryAdd(requestId, 0))
            return;
        order.Enqueue(requestId);
        // The feed is read every few seconds; only the ids of the last moments matter.
        while (order.Count > capacity && order.TryDequeue(out var oldest))
            ids.TryRemove(oldest, out _);
    }

    public bool Contains(string? requestId) => requestId is not null && ids.ContainsKey(requestId);
}
