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
/// A CEL rule rendered as <c>x-kubernetes-validations</c> on the type's schema. The same rule is
/// enforced by the engine's own validation, so a cluster without CEL support is no weaker.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
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
