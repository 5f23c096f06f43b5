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
    [Description("Base URL of the platform (https://…), where the operator reconciles this namespace. The CLI does not follow it: a run names its platform with --platform-url (else the embedded reference platform), so a change to the manifests cannot send the CLI's token elsewhere.")]
    [Url]
    public string? Url { get; init; }

    [Description("Secret holding the Admin API bearer token (scopes admin:read and admin:write).")]
    [SecretReference]
    public SecretKeyRef? TokenSecretRef { get; init; }

    [Description("Correct reverts out-of-band changes on the platform; Report only reports them.")]
    public DriftPolicy DriftPolicy { get; init; } = DriftPolicy.Correct;

    [Description("Asks to delete platform objects that Reconciler created or adopted and that no manifest wants any more. The CLI prunes only with --prune (a manifest cannot turn deletes on) and its plan says when this asks for it; the operator deletes a platform object when its custom resource is deleted (per deletionPolicy) and leaves objects without one in place.")]
    public bool Prune { get; init; }

    [Description("How often every resource is compared with the platform, as a Go duration (e.g. 10m, 1h).")]
    [RegularExpression(Patterns.GoDuration)]
    [MinimumDuration("1s")]
    public string ResyncInterval { get; init; } = "10m";

    [Description("How often the platform's audit trail is read for changes made outside Reconciler (drift), as a Go duration (e.g. 2s); one request per poll when nothing changed.")]
    [RegularExpression(Patterns.GoDuration)]
    [MinimumDuration("100ms")]
    public string AuditPollInterval { get; init; } = "2s";

    [Description("Ceiling of Admin API requests per second this connection may spend; unset, the rate starts unthrottled and adapts to the platform's 429s.")]
    [Range(1, 1000)]
    public int? RequestsPerSecond { get; init; }

    [Description("Fields another system owns, by owner: {scim: [Agent.email, Agent.displayName, Agent.active]}. Reconciler never writes them to an existing object nor reports them as drift; in the CLI a resource may override with the support.reconciler.dev/field-owners annotation.")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? FieldOwners { get; init; }

    [Description("A run that would delete more platform objects than this stops before deleting anything.")]
    [Range(0, 100000)]
    public int MaxDeletes { get; init; } = 10;

    [Description("Fewest active agents that can administer the organisation (manage agents, roles and SSO) a plan may leave; a plan leaving fewer is refused unless the admins guard is allowed. Zero is always refused.")]
    [Range(0, 1000)]
    public int MinAdmins { get; init; } = Guards.GuardPolicy.DefaultMinAdmins;

    // A decimal string, as Kubernetes API conventions avoid floating-point fields.
    [Description("Largest share of active agents, a decimal from 0 to 1 (\"0.25\"), one run may deactivate, delete or demote; more is refused unless the mass-change guard is allowed.")]
    [RegularExpression(Patterns.Fraction)]
    public string MaxRemovalFraction { get; init; } = "0.25";

    /// <summary><see cref="MaxRemovalFraction"/> as a number (validation has checked its form).</summary>
    public double RemovalFraction() =>
        double.TryParse(MaxRemovalFraction, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var fraction)
            ? fraction
            : Guards.GuardPolicy.DefaultMaxRemovalFraction;
}
