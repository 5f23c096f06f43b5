using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes;

/// <summary>Conveniences over <see cref="IKubernetesClient"/> that need no server support of their own.</summary>
public static class KubernetesClientExtensions
{
    /// <summary>Get, or null when the object does not exist.</summary>
    public static async Task<T?> TryGetAsync<T>(this IKubernetesClient client, ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            return await client.GetAsync<T>(type, @namespace, name, cancellationToken);
        }
        catch (KubernetesApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Reads every page of a list; returns the items and the resourceVersion of the first page.</summary>
    public static async Task<KubernetesList<T>> ListAllAsync<T>(this IKubernetesClient client, ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.ListAsync<T>(type, @namespace, options, cancellationToken);
        var first = page;
        var items = new List<T>(page.Items);
        while (!string.IsNullOrEmpty(page.Metadata.Continue))
        {
            page = await client.ListAsync<T>(type, @namespace, (options ?? new ListOptions()) with { Continue = page.Metadata.Continue }, cancellationToken);
            items.AddRange(page.Items);
        }

        // Later pages are served at the first page's snapshot, so its resourceVersion is the one to watch from.
        return first with { Items = items, Metadata = first.Metadata with { Continue = null, RemainingItemCount = null } };
    }
}
