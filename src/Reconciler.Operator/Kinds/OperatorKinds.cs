global using CustomResource = Reconciler.Kubernetes.Models.KubernetesObject<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject>;

using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes;

namespace Reconciler.Operator.Kinds;

/// <summary>The operator's names on the cluster: API paths of each kind, the finalizer and the annotations users set.</summary>
public static class OperatorKinds
{
    public const string Finalizer = "support.reconciler.dev/finalizer";
    public const string PausedAnnotation = "support.reconciler.dev/paused";
    public const string ResyncRequestedAnnotation = "support.reconciler.dev/resync-requested-at";

    /// <summary>On the PlatformConnection: guards overridden for the namespace, comma-separated (<c>admins,orphans</c>).</summary>
    public const string AllowGuardsAnnotation = "support.reconciler.dev/allow-guards";

    public static ResourceType TypeOf(ResourceKindInfo kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return new ResourceType(Resource.Group, Resource.Version, kind.Plural, kind.Kind);
    }

    public static ResourceType TypeOf(string kind) => TypeOf(ResourceCatalog.Find(kind) ?? throw new ArgumentException($"unknown kind {kind}", nameof(kind)));

    public static bool IsPaused(CustomResource resource) =>
        resource.Metadata.Annotations?.GetValueOrDefault(PausedAnnotation) is { } value && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    public static string? ResyncRequest(CustomResource resource) => resource.Metadata.Annotations?.GetValueOrDefault(ResyncRequestedAnnotation);

    public static string? AllowedGuards(CustomResource resource) => resource.Metadata.Annotations?.GetValueOrDefault(AllowGuardsAnnotation);

    /// <summary>The manifest file name diagnostics of a resource carry, so a namespace's diagnostics can be told apart.</summary>
    public static string FileOf(string kind, string? @namespace, string name) => $"{@namespace}/{kind}/{name}";

    /// <summary>
    /// The resource checked and typed as the CLI would read it from a file, straight from its JSON (no text round trip),
    /// so the loader's structural checks and every semantic rule apply to what the cluster accepted; the API server
    /// without the CRD's CEL rules may accept more.
    /// </summary>
    public static ParsedManifest Parse(string kind, CustomResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return ManifestLoader.ParseObject(FileOf(kind, resource.Metadata.Namespace, resource.Metadata.Name!), kind, resource.Metadata.Name!, resource.Spec);
    }
}
