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
    private readonly Lock gate = new();
    private readonly Dictionary<(string Namespace, ResourceId Target), long> wakes = [];
    private readonly Dictionary<(string Namespace, ResourceId Target), HashSet<(string Kind, ObjectKey Key)>> waiting = [];
    private readonly Dictionary<string, long> namespaceWakes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(string Kind, ObjectKey Key)>> waitingOnAny = new(StringComparer.Ordinal);

    /// <summary>How often <paramref name="target"/> was woken so far; read before looking at whether it is ready.</summary>
    public long Wakes(string @namespace, ResourceId target)
    {
        lock (gate)
            return wakes.GetValueOrDefault((@namespace, target));
    }

    /// <summary>How often anything in the namespace was woken so far.</summary>
    public long Wakes(string @namespace)
    {
        lock (gate)
            return namespaceWakes.GetValueOrDefault(@namespace);
    }

    /// <summary>Waits for the first of <paramref name="targets"/> (with the wake counts seen) to become ready.</summary>
    public void WaitFor(string kind, ObjectKey key, IReadOnlyDictionary<ResourceId, long> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var ns = key.Namespace ?? "";
        lock (gate)
        {
            if (targets.Any(t => wakes.GetValueOrDefault((ns, t.Key)) != t.Value))
            {
                enqueue(kind, key);
                return;
            }

            foreach (var target in targets.Keys)
            {
                if (!waiting.TryGetValue((ns, target), out var set))
                    waiting[(ns, target)] = set = [];
                set.Add((kind, key));
            }
        }
    }

    /// <summary>Waits for anything in the namespace to become ready or be created on the platform.</summary>
    public void WaitForAny(string kind, ObjectKey key, long seen)
    {
        var ns = key.Namespace ?? "";
        lock (gate)
        {
            if (namespaceWakes.GetValueOrDefault(ns) != seen)
            {
                enqueue(kind, key);
                return;
            }

            if (!waitingOnAny.TryGetValue(ns, out var set))
                waitingOnAny[ns] = set = [];
            set.Add((kind, key));
        }
    }

    /// <summary><paramref name="target"/> has its platform object now: requeue whoever waits for it, and whoever waits for anything.</summary>
    public void Ready(string @namespace, ResourceId target)
    {
        List<(string Kind, ObjectKey Key)> woken;
        lock (gate)
        {
            wakes[(@namespace, target)] = wakes.GetValueOrDefault((@namespace, target)) + 1;
            woken = waiting.Remove((@namespace, target), out var set) ? [.. set] : [];
            woken.AddRange(TakeAny(@namespace));
        }

        Enqueue(woken);
    }

    /// <summary>Something was created on the namespace's platform: it may be what a resource missing a reference needs.</summary>
    public void Created(string @namespace)
    {
        List<(string Kind, ObjectKey Key)> woken;
        lock (gate)
            woken = TakeAny(@namespace);
        Enqueue(woken);
    }

    private List<(string Kind, ObjectKey Key)> TakeAny(string @namespace)
    {
        namespaceWakes[@namespace] = namespaceWakes.GetValueOrDefault(@namespace) + 1;
        return waitingOnAny.Remove(@namespace, out var set) ? [.. set] : [];
    }

    private void Enqueue(List<(string Kind, ObjectKey Key)> woken)
    {
        foreach (var (kind, key) in woken)
            enqueue(kind, key);
    }
}
