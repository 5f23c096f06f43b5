using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>A reference to another resource of the same namespace (or folder) by its <c>metadata.name</c>.</summary>
[Description("A reference to another resource in the same namespace, by metadata.name.")]
public sealed record ResourceRef
{
    [Required]
    [CrdString(Pattern = Patterns.DnsSubdomain, MaxLength = 253)]
    [Description("metadata.name of the referenced resource.")]
    public required string Name { get; init; }

    public static implicit operator ResourceRef(string name) => new() { Name = name };

    public static ResourceRef FromString(string name) => new() { Name = name };

    public override string ToString() => Name;
}

/// <summary>
/// Where a secret value lives: a key of a Kubernetes Secret for the operator; for the CLI an
/// environment variable or file derived from the same name and key (see the README).
/// </summary>
[Description("A reference to a secret value: a key of a Secret in the same namespace. The CLI reads it from an environment variable or a file.")]
public sealed record SecretKeyRef
{
    /// <summary>A DNS-1123 subdomain, as Kubernetes requires of a Secret's name: no '/', no "..", nothing outside a folder.</summary>
    public const string NamePattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>
    /// Kubernetes' Secret key rule in a form the API server's RE2 accepts: <c>[-._a-zA-Z0-9]+</c>, not "." or "..",
    /// not starting with ".." (so never a path out of the Secret's folder).
    /// </summary>
    public const string KeyPattern = "^\\.?[-_a-zA-Z0-9][-._a-zA-Z0-9]*$";

    [Required]
    [RegularExpression(NamePattern)]
    [MaxLength(253)]
    [Description("Name of the Secret (a DNS-1123 subdomain).")]
    public required string Name { get; init; }

    [Required]
    [RegularExpression(KeyPattern)]
    [MaxLength(253)]
    [Description("Key within the Secret: letters, digits, '-', '_' and '.', not '.' or '..'.")]
    public required string Key { get; init; }

    /// <summary>Whether name and key follow the Kubernetes rules; only such a reference may name a file.</summary>
    public bool IsWellFormed() =>
        Name.Length <= 253 && Key.Length <= 253
        && Whole(Name, NamePattern) && Whole(Key, KeyPattern);

    // The whole text: the patterns end in $, which in .NET also matches before a final newline.
    private static bool Whole(string text, string pattern) => text.Length > 0 && System.Text.RegularExpressions.Regex.Match(text, pattern).Length == text.Length;

    public override string ToString() => $"{Name}/{Key}";
}

/// <summary>What happens on the platform when a resource is deleted from the cluster.</summary>
public enum DeletionPolicy
{
    /// <summary>Delete the platform object (default).</summary>
    Delete,

    /// <summary>Leave the platform object in place and stop managing it.</summary>
    Orphan,
}

/// <summary>What a reconcile does when the platform differs from the manifest.</summary>
public enum DriftPolicy
{
    /// <summary>Revert out-of-band changes.</summary>
    Correct,

    /// <summary>Report drift in status, metrics and events, and leave the platform as it is.</summary>
    Report,
}

/// <summary>
/// Kubernetes object metadata, every field the API's ObjectMeta has, so a manifest exported from a cluster
/// (<c>kubectl get -o yaml --show-managed-fields</c>, a backup) reads as the cluster reads it; only <see cref="Name"/>
/// matters to the CLI, which neither sends nor compares the others.
/// </summary>
public sealed record ObjectMeta
{
    [Required]
    [RegularExpression(Patterns.DnsSubdomain)]
    [MaxLength(253)]
    public required string Name { get; init; }

    public string? Namespace { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }

    public long? Generation { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    public DateTimeOffset? DeletionTimestamp { get; init; }

    public IReadOnlyList<string>? Finalizers { get; init; }

    /// <summary>A prefix the API server completes to a unique name when <see cref="Name"/> is empty; the CLI needs the name.</summary>
    public string? GenerateName { get; init; }

    public string? SelfLink { get; init; }

    public long? DeletionGracePeriodSeconds { get; init; }

    public IReadOnlyList<OwnerReference>? OwnerReferences { get; init; }

    public IReadOnlyList<ManagedFieldsEntry>? ManagedFields { get; init; }
}

/// <summary>An object this one depends on (Kubernetes garbage collection); the API requires all four names.</summary>
public sealed record OwnerReference
{
    [Required]
    public required string ApiVersion { get; init; }

    [Required]
    public required string Kind { get; init; }

    [Required]
    public required string Name { get; init; }

    [Required]
    public required string Uid { get; init; }

    public bool? Controller { get; init; }

    public bool? BlockOwnerDeletion { get; init; }
}

/// <summary>Which field manager set which fields (server-side apply's bookkeeping).</summary>
public sealed record ManagedFieldsEntry
{
    public string? Manager { get; init; }

    public string? Operation { get; init; }

    public string? ApiVersion { get; init; }

    public DateTimeOffset? Time { get; init; }

    public string? FieldsType { get; init; }

    /// <summary>The set of fields, as nested objects (<c>f:spec: {f:name: {}}</c>): free-form, as the API defines it.</summary>
    public System.Text.Json.Nodes.JsonObject? FieldsV1 { get; init; }

    public string? Subresource { get; init; }
}
