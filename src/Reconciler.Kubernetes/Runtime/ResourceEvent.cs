using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes.Runtime;

/// <summary>What changed in a <see cref="ResourceCache{T}"/>.</summary>
public enum ResourceEventType
{
    Added,
    Updated,
    Deleted,

    /// <summary>Periodic resync: nothing changed, the object is offered again so drift can be checked.</summary>
    Resynced,
}

/// <summary>A change the watcher applied to its cache; <see cref="OldObject"/> is set for updates.</summary>
public sealed record ResourceEvent<T>(ResourceEventType Type, T Object, T? OldObject = null)
    where T : class, IKubernetesObject;
