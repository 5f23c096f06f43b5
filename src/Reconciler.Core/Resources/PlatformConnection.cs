using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>How to reach one platform, and the policies that apply to every resource reconciled against it.</summary>
[KubernetesKind("PlatformConnection", "platformconnections", ShortNames = ["pconn"])]
[PrinterColumn("URL", ".spec.url")]
[PrinterColumn("DRIFT-POLICY", ".spec.driftPolicy")]
[PrinterColumn("PRUNE", ".spec.prune", "boolean", Priority = 1)]
[Description("Where the platform's Admin API is, which token to use, and the reconcile policies for the namespace.")]
public sealed record PlatformConnection : Resource<PlatformConnectionSpec, ResourceStatus>;

[Description("Connection to a platform's Admin API.")]
public sealed record PlatformConnectionSpec
{
    [Description("Base URL of the platform (https://…). Empty means the embedded reference platform (CLI only).")]
    [Url]
    public string? Url { get; init; }

    [Description("Secret holding the Admin API bearer token (scopes admin:read and admin:write).")]
    [SecretReference]
    public SecretKeyRef? TokenSecretRef { get; init; }

    [Description("Correct reverts out-of-band changes on the platform; Report only reports them.")]
    public DriftPolicy DriftPolicy { get; init; } = DriftPolicy.Correct;

    [Description("Delete platform objects that Reconciler created or adopted and that no manifest wants any more.")]
    public bool Prune { get; init; }

    [Description("How often every resource is compared with the platform, as a Go duration (e.g. 10m, 1h).")]
    [RegularExpression(Patterns.GoDuration)]
    public string ResyncInterval { get; init; } = "10m";

    [Description("Budget of Admin API requests per second this connection may spend.")]
    [Range(1, 1000)]
    public int RequestsPerSecond { get; init; } = 20;

    [Description("Fields another system owns, by owner: {scim: [Agent.email, Agent.displayName, Agent.active]}. Reconciler never writes them to an existing object nor reports them as drift; a resource may override with the support.reconciler.dev/field-owners annotation.")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? FieldOwners { get; init; }

    [Description("A run that would delete more platform objects than this stops before deleting anything.")]
    [Range(0, 100000)]
    public int MaxDeletes { get; init; } = 10;
}
