using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>
/// How one kind maps to the platform's wire objects: its DTO, comparison rules, the desired body of a resource and the
/// way back from a platform object to a manifest. One implementation per kind.
/// </summary>
public interface IKindMapper
{
    string Kind { get; }

    /// <summary>What else is known of the kind.</summary>
    KindDescription Description { get; }

    /// <summary>The Admin API collection; <c>organization</c> for the singleton.</summary>
    string Collection { get; }

    bool IsSingleton { get; }

    /// <summary>The contract's DTO of the kind (<c>AgentDto</c>); the rules name its JSON properties.</summary>
    Type WireType { get; }

    /// <summary>The kind's wire fields and how to compare them.</summary>
    IReadOnlyList<ComparisonRule> Rules { get; }

    /// <summary>The platform's natural key of the resource (lower-cased e-mail for agents, the name otherwise).</summary>
    string NaturalKey(Resource resource);

    IReadOnlyList<ResourceReference> References(Resource resource);

    /// <summary>The first resource of its own kind that <paramref name="resource"/> references (an agent's supervisor), if any.</summary>
    ResourceId? ParentOf(Resource resource);

    IReadOnlyList<SecretKeyRef> SecretReferences(Resource resource);

    /// <summary>
    /// The desired wire fields, a new object on every call (the executor sends its fields as they are, adding the labels);
    /// throws <see cref="ReferenceNotFoundException"/> or <see cref="SecretNotFoundException"/>.
    /// </summary>
    DesiredObject Map(Resource resource, MappingContext context);

    /// <summary>The manifest of a platform object, references by name.</summary>
    Resource Export(PlatformObject platformObject, ExportContext context);
}

/// <summary>
/// The desired DTO (<see cref="Wire"/>), the fields of it that <see cref="Rules"/> name (<see cref="Fields"/>, what is
/// sent), plus the labels that carry secret fingerprints and the paths of secret fields.
/// </summary>
public sealed record DesiredObject(WireObject Wire, IReadOnlyList<ComparisonRule> Rules, IReadOnlyDictionary<string, string> SecretLabels, IReadOnlyList<string> SecretFields)
{
    private JsonObject? _fields;

    /// <summary>The wire fields, made when first read: <c>validate</c> checks <see cref="Wire"/> and never needs them.</summary>
    public JsonObject Fields
    {
        get
        {
            if (_fields is { } fields)
                return fields;
            var made = WireBody.Of(Wire, Rules);
            return Interlocked.CompareExchange(ref _fields, made, null) ?? made;
        }
    }

    /// <summary>The fingerprint label of each secret field, for objects with more than one secret; null means the one <see cref="Ownership.SecretFingerprintLabel"/>.</summary>
    public IReadOnlyDictionary<string, string>? FingerprintLabels { get; init; }

    /// <summary>The label that holds the fingerprint of the secret at <paramref name="secretField"/>.</summary>
    public string FingerprintLabelOf(string secretField) => FingerprintLabels?.GetValueOrDefault(secretField) ?? Ownership.SecretFingerprintLabel;
}

/// <summary>What export needs: the manifest name of the object a platform id points to.</summary>
public sealed record ExportContext(Func<string, string, string?> NameOf);
