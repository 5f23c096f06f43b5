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
/// the C# model stays the single source of truth for structure and constraints.
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

internal sealed class ScalarShape(ScalarKind kind, long min = long.MinValue, long max = long.MaxValue) : Shape
{
    public ScalarKind Kind { get; } = kind;

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

    public override string Describe => "one of " + string.Join(", ", Names);
}

internal sealed class ListShape(Shape item) : Shape
{
    public Shape Item { get; } = item;

    public override string Describe => "a list";
}

internal sealed class MapShape(Shape value) : Shape
{
    public Shape Value { get; } = value;

    public override string Describe => "a mapping";
}

internal sealed class ObjectShape(Type type, IReadOnlyList<ComparisonShape> fields) : Shape
{
    public Type Type { get; } = type;

    public IReadOnlyList<ComparisonShape> Fields { get; } = fields;

    public FrozenDictionary<string, ComparisonShape> ByName { get; } = fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    public override string Describe => "a mapping";
}

/// <summary>One property of a record as the manifest spells it (camelCase), with its constraints.</summary>
internal sealed record ComparisonShape(
    string Name,
    Shape Shape,
    bool Required,
    bool IsSecretReference,
    IReadOnlyList<ValidationAttribute> Constraints);

/// <summary>Shapes of every kind of the catalog, built once from the types.</summary>
internal static class ModelShapes
{
    private static readonly FrozenDictionary<Type, ObjectShape> ByResourceType =
        ResourceCatalog.Kinds.ToFrozenDictionary(k => k.ResourceType, k => ObjectOf(k.ResourceType));

    public static ObjectShape For(ResourceKindInfo kind) => ByResourceType[kind.ResourceType];

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
            [.. property.GetCustomAttributes<ValidationAttribute>().Where(a => a is not RequiredAttribute)]);

    private static Shape ShapeOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return new ScalarShape(ScalarKind.String);
        if (type == typeof(bool))
            return new ScalarShape(ScalarKind.Boolean);
        if (type == typeof(int))
            return new ScalarShape(ScalarKind.Integer, int.MinValue, int.MaxValue);
        if (type == typeof(long))
            return new ScalarShape(ScalarKind.Integer);
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
            return new ScalarShape(ScalarKind.DateTime);
        if (type.IsEnum)
            return new EnumShape(type);
        if (type.IsArray)
            return new ListShape(ShapeOf(type.GetElementType()!));
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>))
                return new MapShape(ShapeOf(args[1]));
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(List<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>))
                return new ListShape(ShapeOf(args[0]));
        }

        if (type.IsClass)
            return ObjectOf(type);
        throw new NotSupportedException($"The manifest loader has no shape for {type}; add one to {nameof(ModelShapes)}.");
    }
}
