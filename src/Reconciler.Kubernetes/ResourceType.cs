namespace Reconciler.Kubernetes;

/// <summary>
/// Identifies a REST collection (client-go's GroupVersionResource plus Kind and scope): everything the
/// client needs to build URLs for a kind without knowing anything else about it.
/// </summary>
/// <param name="Group">API group; empty for the core group (<c>/api/v1</c>).</param>
/// <param name="Version">API version within the group, e.g. <c>v1alpha1</c>.</param>
/// <param name="Plural">The resource name in URLs, e.g. <c>secrets</c>.</param>
/// <param name="Kind">The object kind, e.g. <c>Secret</c>.</param>
/// <param name="Namespaced">False for cluster-scoped resources.</param>
public sealed record ResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    public static ResourceType Secrets { get; } = new("", "v1", "secrets", "Secret");

    public static ResourceType Leases { get; } = new("coordination.k8s.io", "v1", "leases", "Lease");

    public static ResourceType Events { get; } = new("events.k8s.io", "v1", "events", "Event");

    /// <summary>group/version, or just the version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>plural.group as the API server names it in messages, e.g. <c>widgets.example.com</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public override string ToString() => $"{QualifiedName}/{Version}";
}
