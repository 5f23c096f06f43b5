namespace Reconciler.Core.Resources;

/// <summary>Names a resource kind the way a CRD does: kind, plural, short names, categories.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KubernetesKindAttribute(string kind, string plural) : Attribute
{
    public string Kind { get; } = kind;

    public string Plural { get; } = plural;

    public string[] ShortNames { get; init; } = [];

    /// <summary>Cluster-scoped kinds are rare here; every kind of the model lives in a namespace.</summary>
    public bool Namespaced { get; init; } = true;
}

/// <summary>A column of <c>kubectl get</c> output, rendered into the CRD's additionalPrinterColumns.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PrinterColumnAttribute(string name, string jsonPath, string type = "string") : Attribute
{
    public string Name { get; } = name;

    public string JsonPath { get; } = jsonPath;

    public string Type { get; } = type;

    /// <summary>Columns with a priority above zero show only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }

    public string? Description { get; init; }
}

/// <summary>
/// A CEL rule rendered as <c>x-kubernetes-validations</c> on the schema of the type (on a resource
/// type: the root, where <c>self.metadata.name</c> is visible) or of the property. The same rule is
/// enforced by the engine's own validation, so a cluster without CEL support is no weaker.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;

    /// <summary>Field the message points at, as a JSONPath relative to the type (e.g. <c>.oidc</c>).</summary>
    public string? FieldPath { get; init; }
}

/// <summary>Marks a property that must hold a reference to a secret, never the secret itself.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SecretReferenceAttribute : Attribute;

/// <summary>
/// What the CRD schema checks of a string property, or of each string of a list property, where
/// validation checks the same in code (a rule with its own diagnostic) rather than by a DataAnnotation.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class CrdStringAttribute : Attribute
{
    /// <summary>A regular expression, usually one of <see cref="Patterns"/>.</summary>
    public string? Pattern { get; init; }

    /// <summary>An OpenAPI format the API server checks, e.g. <c>date</c>.</summary>
    public string? Format { get; init; }

    /// <summary>
    /// Longest value; zero for none. Strings a CEL rule reads need one so the API server's
    /// estimate of the rule's cost stays within its budget.
    /// </summary>
    public int MaxLength { get; init; }
}

/// <summary>How the API server treats a list: its <c>x-kubernetes-list-type</c> and, for maps, the keys.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class CrdListAttribute(CrdListType type, params string[] mapKeys) : Attribute
{
    public CrdListType Type { get; } = type;

    /// <summary>Fields of the items that identify them (required fields), for <see cref="CrdListType.Map"/>.</summary>
    public IReadOnlyList<string> MapKeys { get; } = mapKeys;
}

/// <summary>The values of <c>x-kubernetes-list-type</c>.</summary>
public enum CrdListType
{
    /// <summary>Scalars, each at most once (the API server rejects duplicates).</summary>
    Set,

    /// <summary>Objects identified by their map keys, each key at most once.</summary>
    Map,
}
