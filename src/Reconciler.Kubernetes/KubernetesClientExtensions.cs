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

    /// <summary>
    /// Reads every page of a list; returns the items and the resourceVersion of the first page. When a continue token
    /// expires (410) it reads everything again in one unpaged list, as client-go's pager does: paging again could
    /// outlast the compaction window every time.
    /// </summary>
    public static async Task<KubernetesList<T>> ListAllAsync<T>(this IKubernetesClient client, ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new ListOptions();
        var page = await client.ListAsync<T>(type, @namespace, options, cancellationToken);
        var first = page;
        var items = new List<T>(page.Items);
        while (!string.IsNullOrEmpty(page.Metadata.Continue))
        {
            try
            {
                page = await client.ListAsync<T>(type, @namespace, options with { Continue = page.Metadata.Continue }, cancellationToken);
            }
            catch (KubernetesApiException ex) when (ex.IsGone)
            {
                return await client.ListAsync<T>(type, @namespace, options with { Limit = null, Continue = null }, cancellationToken);
            }

            items.AddRange(page.Items);
        }

        // Later pages are served at the first page's snapshot, so its resourceVersion is the one to watch from.
        return first with { Items = items, Metadata = first.Metadata with { Continue = null, RemainingItemCount = null } };
    }
}
