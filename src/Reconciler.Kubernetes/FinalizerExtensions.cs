using System.Text.Json.Nodes;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes;

/// <summary>
/// Finalizer bookkeeping. Writes are merge patches of metadata.finalizers carrying the object's
/// resourceVersion, so a concurrent change to the list (by another controller) fails with 409 instead of
/// being overwritten.
/// </summary>
public static class FinalizerExtensions
{
    public static bool HasFinalizer(this IKubernetesObject obj, string finalizer)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.Finalizers?.Contains(finalizer, StringComparer.Ordinal) == true;
    }

    /// <summary>True once deletion was requested; the object stays until its finalizers are gone.</summary>
    public static bool IsBeingDeleted(this IKubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.DeletionTimestamp is not null;
    }

    /// <summary>Adds <paramref name="finalizer"/> unless present; returns the object as the server has it.</summary>
    public static Task<T> AddFinalizerAsync<T>(this IKubernetesClient client, ResourceType type, T obj, string finalizer, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentException.ThrowIfNullOrEmpty(finalizer);
        return obj.HasFinalizer(finalizer)
            ? Task.FromResult(obj)
            : PatchFinalizersAsync(client, type, obj, [.. obj.Metadata.Finalizers ?? [], finalizer], cancellationToken);
    }

    /// <summary>
    /// Removes <paramref name="finalizer"/> if present. Removing the last finalizer of an object being deleted
    /// lets the API server delete it; the returned object is then its final state.
    /// </summary>
    public static Task<T> RemoveFinalizerAsync<T>(this IKubernetesClient client, ResourceType type, T obj, string finalizer, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentException.ThrowIfNullOrEmpty(finalizer);
        return !obj.HasFinalizer(finalizer)
            ? Task.FromResult(obj)
            : PatchFinalizersAsync(client, type, obj, [.. obj.Metadata.Finalizers!.Where(f => f != finalizer)], cancellationToken);
    }

    private static Task<T> PatchFinalizersAsync<T>(IKubernetesClient client, ResourceType type, T obj, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(type);
        var metadata = new JsonObject { ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]) };
        if (obj.Metadata.ResourceVersion is { } resourceVersion)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        var patch = new JsonObject { ["metadata"] = metadata };
        return client.PatchAsync<T>(type, type.Namespaced ? obj.Metadata.Namespace : null, obj.Metadata.Name!, patch, cancellationToken);
    }
}
