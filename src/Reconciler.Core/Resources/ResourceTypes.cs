namespace Reconciler.Core.Resources;

/// <summary>
/// What the attributes and properties of each resource type say, written at compile time by Reconciler.Core.Generators:
/// the first attribute read by reflection cost milliseconds of start-up, and Native AOT keeps no attributes it is not told of.
/// </summary>
internal static partial class ResourceTypes
{
    /// <summary>The facts of a type with <c>[KubernetesKind]</c>; null for any other type.</summary>
    public static partial ResourceTypeFacts? Of(Type type);
}

/// <summary>A resource type's <c>[KubernetesKind]</c>, the types of its spec and status, and its <c>[PrinterColumn]</c>s in the order written.</summary>
internal sealed record ResourceTypeFacts(KubernetesKindAttribute Kind, Type SpecType, Type StatusType, IReadOnlyList<PrinterColumnAttribute> PrinterColumns);
