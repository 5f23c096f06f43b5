using System.Collections;
using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Manifests;

/// <summary>
/// What a YAML node must look like, derived by reflection from the resource records so that
/// the C# model stays the single source of truth for structure and constraints; each shape also
/// builds the value it describes, so a checked document becomes its typed resource in the same walk.
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

internal sealed class EnumShape(Type type) : Shape
{
    public IReadOnlyList<string> Names { get; } = Enum.GetNames(type);

    /// <summary>The boxed value of each name, case-sensitive as the manifest must write it.</summary>
    public FrozenDictionary<string, object> Values { get; } =
        Enum.GetNames(type).ToFrozenDictionary(n => n, n => Enum.Parse(type, n), StringComparer.Ordinal);

    public override string Describe => "one of " + string.Join(", ", Names);
}

internal sealed class ListShape(Shape item, Type itemType, bool isArray) : Shape
{
    private readonly ModelInstances _items = ModelInstances.Of(itemType);

    public Shape Item { get; } = item;

    /// <summary>Stands in for an item that failed its check (already reported), so counts stay as written.</summary>
    public object? Failed { get; } = itemType.IsValueType ? Activator.CreateInstance(itemType) : null;

    /// <summary>A list of the model's item type (what System.Text.Json makes for a list-typed property).</summary>
    public IList Create(int capacity) => _items.NewList(capacity);

    /// <summary>The list as the property's type: itself, or an array for an array-typed property.</summary>
    public object Complete(IList items) => isArray ? _items.ToArray(items) : items;

    public override string Describe => "a list";
}

internal sealed class MapShape(Shape value, Type valueType) : Shape
{
    private readonly ModelInstances _values = ModelInstances.Of(valueType);

    public Shape Value { get; } = value;

    /// <summary>Stands in for a value that failed its check (already reported).</summary>
    public object? Failed { get; } = valueType.IsValueType ? Activator.CreateInstance(valueType) : null;

    /// <summary>An empty dictionary from string to the model's value type.</summary>
    public IDictionary Create() => _values.NewMap();

    public override string Describe => "a mapping";
}

internal sealed class ObjectShape(Type type, IReadOnlyList<ComparisonShape> fields) : Shape
{
    private readonly ModelInstances _instances = type.GetConstructor(Type.EmptyTypes) is not null
        ? ModelInstances.Of(type)
        : throw new NotSupportedException($"The manifest loader needs a parameterless constructor on {type}.");

    public Type Type { get; } = type;

    /// <summary>A new instance with the model's defaults, its fields to be set by <see cref="ComparisonShape.Set"/>.</summary>
    public object Create() => _instances.New();

    public IReadOnlyList<ComparisonShape> Fields { get; } = fields;

    /// <summary>The index in <see cref="Fields"/> of each field name.</summary>
    public FrozenDictionary<string, int> IndexOf { get; } = fields.Select((f, i) => (f.Name, i)).ToFrozenDictionary(f => f.Name, f => f.i, StringComparer.Ordinal);

    public override string Describe => "a mapping";
}

/// <summary>One property of a record as the manifest spells it (camelCase), with its constraints and its setter.</summary>
internal sealed record ComparisonShape(
    string Name,
    Shape Shape,
    bool Required,
    bool IsSecretReference,
    IReadOnlyList<ValidationAttribute> Constraints,
    PropertySetter Setter)
{
    /// <summary>Sets the property on an instance made by its object's <see cref="ObjectShape.Create"/>.</summary>
    public void Set(object target, object value) => Setter.Set(target, value);
}

/// <summary>
/// Shapes of every kind of the catalog, each built once from its type when a document of the kind is first checked:
/// reflecting over all kinds cost 50-75 ms before the first document, and a set of agents uses four kinds of eleven.
/// </summary>
internal static class ModelShapes
{
    private static readonly FrozenDictionary<Type, Lazy<ObjectShape>> ByResourceType =
        ResourceCatalog.Kinds.ToFrozenDictionary(k => k.ResourceType, k => new Lazy<ObjectShape>(() => ObjectOf(k.ResourceType)));

    public static ObjectShape For(ResourceKindInfo kind) => ByResourceType[kind.ResourceType].Value;

    private static ObjectShape ObjectOf(Type type)
    {
        var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && !p.IsDefined(typeof(JsonIgnoreAttribute)))
            .OrderBy(p => p.MetadataToken)
            .Select(FieldOf)
            .ToList();
        return new ObjectShape(type, fields);
    }

    private static ComparisonShape FieldOf(PropertyInfo property) =>
        new(
            JsonNamingPolicy.CamelCase.ConvertName(property.Name),
            ShapeOf(property.PropertyType),
            property.IsDefined(typeof(RequiredMemberAttribute)) || property.IsDefined(typeof(RequiredAttribute)),
            property.IsDefined(typeof(SecretReferenceAttribute)),
            [.. property.GetCustomAttributes<ValidationAttribute>().Where(a => a is not RequiredAttribute)],
            PropertySetter.For(property));

    private static Shape ShapeOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return new ScalarShape(ScalarKind.String);
        if (type == typeof(bool))
            return new ScalarShape(ScalarKind.Boolean);
        if (type == typeof(int))
            return new ScalarShape(ScalarKind.Integer, int.MinValue, int.MaxValue, isInt32: true);
        if (type == typeof(long))
            return new ScalarShape(ScalarKind.Integer);
        if (type == typeof(DateTimeOffset))
            return new ScalarShape(ScalarKind.DateTime);
        if (type.IsEnum)
            return new EnumShape(type);
        if (type.IsArray)
            return new ListShape(ShapeOf(type.GetElementType()!), type.GetElementType()!, isArray: true);
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>))
                return new MapShape(ShapeOf(args[1]), args[1]);
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(List<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>))
                return new ListShape(ShapeOf(args[0]), args[0], isArray: false);
        }

        if (type.IsClass)
            return ObjectOf(type);
        throw new NotSupportedException($"The manifest loader has no shape for {type}; add one to {nameof(ModelShapes)}.");
    }
}
