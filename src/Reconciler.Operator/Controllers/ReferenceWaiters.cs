using Reconciler.Core.Resources;
using Reconciler.Kubernetes;

namespace Reconciler.Operator.Controllers;

/// <summary>
/// Resources waiting for a referenced resource's first sync, woken exactly when it happens: per target, so that in a
/// large initial sync an agent is retried once when its supervisor or role is ready, not after every other resource's
/// sync (which made the sync quadratic). Resources missing a reference nobody declared wait for any create on the
/// namespace's platform. A wake that lands between a reconcile's reading of its siblings and its registering is not
/// lost: each target counts its wakes, and a registration that saw an older count requeues at once.
/// </summary>
public sealed class ReferenceWaiters(Action<string, ObjectKey> enqueue)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Namespace, ResourceId Target), long> _wakes = [];
    private readonly Dictionary<(string Namespace, ResourceId Target), HashSet<(string Kind, ObjectKey Key)>> _waiting = [];
    private readonly Dictionary<string, long> _namespaceWakes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(string Kind, ObjectKey Key)>> _waitingOnAny = new(StringComparer.Ordinal);

    /// <summary>How often <paramref name="target"/> was woken so far; read before looking at whether it is ready.</summary>
    public long Wakes(string @namespace, ResourceId target)
    {
        lock (_gate)
            return _wakes.GetValueOrDefault((@namespace, target));
    }

    /// <summary>How often anything in the namespace was woken so far.</summary>
    public long Wakes(string @namespace)
    {
        lock (_gate)
            return _namespaceWakes.GetValueOrDefault(@namespace);
    }

    /// <summary>Waits for the first of <paramref name="targets"/> (with the wake counts seen) to become ready.</summary>
    public void WaitFor(string kind, ObjectKey key, IReadOnlyDictionary<ResourceId, long> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var ns = key.Namespace ?? "";
        lock (_gate)
        {
            if (targets.Any(t => _wakes.GetValueOrDefault((ns, t.Key)) != t.Value))
            {
                enqueue(kind, key);
                return;
            }

            foreach (var target in targets.Keys)
            {
                if (!_waiting.TryGetValue((ns, target), out var set))
                    _waiting[(ns, target)] = set = [];
                set.Add((kind, key));
            }
        }
    }

    /// <summary>Waits for anything in the namespace to become ready or be created on the platform.</summary>
    public void WaitForAny(string kind, ObjectKey key, long seen)
    {
        var ns = key.Namespace ?? "";
        lock (_gate)
        {
            if (_namespaceWakes.GetValueOrDefault(ns) != seen)
            {
                enqueue(kind, key);
                return;
            }

            if (!_waitingOnAny.TryGetValue(ns, out var set))
                _waitingOnAny[ns] = set = [];
            set.Add((kind, key));
        }
    }

    /// <summary><paramref name="target"/> has its platform object now: requeue whoever waits for it, and whoever waits for anything.</summary>
    public void Ready(string @namespace, ResourceId target)
    {
        List<(string Kind, ObjectKey Key)> woken;
        lock (_gate)
        {
            _wakes[(@namespace, target)] = _wakes.GetValueOrDefault((@namespace, target)) + 1;
            woken = _waiting.Remove((@namespace, target), out var set) ? [.. set] : [];
            woken.AddRange(TakeAny(@namespace));
        }

        Enqueue(woken);
    }

    /// <summary>Something was created on the namespace's platform: it may be what a resource missing a reference needs.</summary>
    public void Created(string @namespace)
    {
        List<(string Kind, ObjectKey Key)> woken;
        lock (_gate)
            woken = TakeAny(@namespace);
        Enqueue(woken);
    }

    private List<(string Kind, ObjectKey Key)> TakeAny(string @namespace)
    {
        _namespaceWakes[@namespace] = _namespaceWakes.GetValueOrDefault(@namespace) + 1;
        return _waitingOnAny.Remove(@namespace, out var set) ? [.. set] : [];
    }

    private void Enqueue(List<(string Kind, ObjectKey Key)> woken)
    {
        foreach (var (kind, key) in woken)
            enqueue(kind, key);
    }
}
