using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>Turns a reference by name into a platform id.</summary>
public interface IReferenceResolver
{
    ReferenceLookup Resolve(ResourceId target);
}

/// <summary>A resolved reference: an id, an object that this run creates first, or nothing.</summary>
public readonly record struct ReferenceLookup(string? Id, bool Pending)
{
    public static ReferenceLookup Missing => default;

    public static ReferenceLookup PendingCreate => new(null, true);

    public static ReferenceLookup Of(string id) => new(id, false);

    public bool IsMissing => Id is null && !Pending;
}

/// <summary>A reference a resource makes, with the manifest field that makes it.</summary>
public sealed record ResourceReference(ResourceId Target, string Field);

/// <summary>What a controller needs to map a resource to its wire fields.</summary>
public sealed record MappingContext(IReferenceResolver References, SecretValues Secrets, bool IncludeSecretValues)
{
    /// <summary>Labels of the platform object as observed (null for a create); secret fingerprints are checked against them.</summary>
    public IReadOnlyDictionary<string, string>? ObservedLabels { get; init; }

    /// <summary>Placeholder id of an object created in the same run; shown as "(known after apply)".</summary>
    public static string PendingId(ResourceId target) => $"(pending){target.Kind}/{target.Name}";

    public static bool IsPendingId(string? id) => id is not null && id.StartsWith("(pending)", StringComparison.Ordinal);
}

/// <summary>A reference could not be resolved; the resource fails with ReferenceNotFound.</summary>
public sealed class ReferenceNotFoundException(ResourceReference reference)
    : Exception($"{reference.Field}: {reference.Target.Kind} '{reference.Target.Name}' is neither in the manifests nor on the platform")
{
    public ResourceReference Reference { get; } = reference;
}

/// <summary>A referenced secret could not be found; the message says where it was looked for, never a value.</summary>
public sealed class SecretNotFoundException(string field, string message) : Exception($"{field}: {message}")
{
    /// <summary>The manifest path of the secret reference.</summary>
    public string Field { get; } = field;
}
