using System.Collections;
using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Manifests;

/// <summary>
/// What a YAML node must look like, written at compile time from the resource records (see <see cref="ModelShapes"/>);
/// each shape also builds the value it describes, so a checked document becomes its typed resource in the same walk.
/// </summary>
internal abstract class Shape
{
    public abstract string Describe { get; }
}

internal enum ScalarKind
{
    String,
    Integer,
    Boolean,
    DateTime,
}

internal sealed class ScalarShape(ScalarKind kind, long min = long.MinValue, long max = long.MaxValue, bool isInt32 = false) : Shape
{
    public ScalarKind Kind { get; } = kind;

    /// <summary>An integer the model holds as <see cref="int"/> rather than <see cref="long"/>.</summary>
    public bool IsInt32 { get; } = isInt32;

    public long Min { get; } = min;

    public long Max { get; } = max;

    public override string Describe => Kind switch
    {
        ScalarKind.Integer => "an integer",
        ScalarKind.Boolean => "a boolean",
        ScalarKind.DateTime => "a date-time string",
        _ => "a string",
    };
}

internal sealed class EnumShape(IReadOnlyList<string> names, IReadOnlyList<object> values) : Shape
{
    /// <summary>The names in the order <see cref="Enum.GetNames(Type)"/> gives them (by value).</summary>
    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>The boxed value of each name, case-sensitive as the manifest must write it.</summary>
    public FrozenDictionary<string, object> Values { get; } = ByName(names, values);

    public override string Describe => "one of " + string.Join(", ", Names);

    // A loop, not a LINQ projection to pairs: that generic instantiation over a struct is one ReadyToRun leaves to the JIT.
    private static FrozenDictionary<string, object> ByName(IReadOnlyList<string> names, IReadOnlyList<object> values)
    {
        var byName = new Dictionary<string, object>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
            byName.Add(names[i], values[i]);
        return byName.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

internal sealed class ListShape(Shape item, ModelInstances items, bool isArray) : Shape
{
    public Shape Item { get; } = item;

    /// <summary>Stands in for an item that failed its check (already reported), so counts stay as written.</summary>
    public object? Failed { get; } = items.Default;

    /// <summary>A list of the model's item type (what System.Text.Json makes for a list-typed property).</summary>
    public IList Create(int capacity) => items.NewList(capacity);

    /// <summary>The list as the property's type: itself, or an array for an array-typed property.</summary>
    public object Complete(IList list) => isArray ? items.ToArray(list) : list;

    public override string Describe => "a list";
}

internal sealed class MapShape(Shape value, ModelInstances values) : Shape
{
    public Shape Value { get; } = value;

    /// <summary>Stands in for a value that failed its check (already reported).</summary>
    public object? Failed { get; } = values.Default;

    /// <summary>An empty dictionary from string to the model's value type.</summary>
    public IDictionary Create() => values.NewMap();

    public override string Describe => "a mapping";
}

internal sealed class ObjectShape(Type type, Func<object?[], object> build, IReadOnlyList<ComparisonShape> fields) : Shape
{
    public Type Type { get; } = type;

    /// <summary>
    /// A new instance with the value of each field by its index in <see cref="Fields"/>; a field whose value is null keeps the model's
    /// default (a required one stays unset, as the object is only half built when it is missing).
    /// </summary>
    public object Build(object?[] values) => build(values);

    public IReadOnlyList<ComparisonShape> Fields { get; } = fields;

    /// <summary>The index in <see cref="Fields"/> of each field name.</summary>
    public FrozenDictionary<string, int> IndexOf { get; } = fields.Select((f, i) => (f.Name, i)).ToFrozenDictionary(f => f.Name, f => f.i, StringComparer.Ordinal);

    public override string Describe => "a mapping";
}

/// <summary>
/// Any mapping, read into JSON as kubectl would send it, with no fields of its own to check: the API defines the value
/// as free-form (managedFields' <c>fieldsV1</c>).
/// </summary>
internal sealed class FreeFormShape : Shape
{
    public override string Describe => "a mapping";
}

/// <summary>One property of a record as the manifest spells it (camelCase), with its constraints.</summary>
internal sealed record ComparisonShape(
    string Name,
    Shape Shape,
    bool Required,
    bool IsSecretReference,
    IReadOnlyList<ValidationAttribute> Constraints);

/// <summary>
/// Shapes of every kind of the catalog, written at compile time by Reconciler.Core.Generators from the resource records (the
/// C# model stays the single source of truth for structure and constraints) so that neither reflection nor generic types made
/// at run time are needed. Each is built once, when a document of the kind is first checked: a set of agents uses four kinds of eleven.
/// </summary>
internal static partial class ModelShapes
{
    private static readonly FrozenDictionary<Type, Lazy<ObjectShape>> ByResourceType =
        ResourceCatalog.Kinds.ToFrozenDictionary(k => k.ResourceType, k => new Lazy<ObjectShape>(() => ObjectOf(k.ResourceType)));

    public static ObjectShape For(ResourceKindInfo kind) => ByResourceType[kind.ResourceType].Value;

    /// <summary>The shape of a resource type, written by the generator for every type with [KubernetesKind].</summary>
    private static partial ObjectShape ObjectOf(Type resourceType);
}
