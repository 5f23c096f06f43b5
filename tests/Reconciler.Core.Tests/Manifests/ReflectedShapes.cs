using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>
/// The shapes as the loader built them by reflection before the generator wrote them: the oracle the generated shapes
/// must equal, so a change to the model that the generator reads differently from reflection fails here.
/// </summary>
internal static class ReflectedShapes
{
    /// <summary>The properties a shape has fields for, in its order.</summary>
    public static IReadOnlyList<PropertyInfo> Properties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && !p.IsDefined(typeof(JsonIgnoreAttribute)))
            .OrderBy(p => p.MetadataToken)];

    public static string NameOf(PropertyInfo property) => JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    public static ObjectShape ObjectOf(Type type)
    {
        var properties = Properties(type);
        return new(type, values => Build(type, properties, values), [.. properties.Select(FieldOf)]);
    }

    // As the loader did: an instance by the parameterless constructor, then each written field through its setter.
    private static object Build(Type type, IReadOnlyList<PropertyInfo> properties, object?[] values)
    {
        var target = Activator.CreateInstance(type)!;
        for (var i = 0; i < properties.Count; i++)
        {
            if (values[i] is { } value)
                properties[i].SetValue(target, value);
        }

        return target;
    }

    private static ComparisonShape FieldOf(PropertyInfo property) =>
        new(
            NameOf(property),
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
            return new ScalarShape(ScalarKind.Integer, int.MinValue, int.MaxValue, isInt32: true);
        if (type == typeof(long))
            return new ScalarShape(ScalarKind.Integer);
        if (type == typeof(DateTimeOffset))
            return new ScalarShape(ScalarKind.DateTime);
        if (type == typeof(System.Text.Json.Nodes.JsonObject))
            return new FreeFormShape();
        if (type.IsEnum)
            return new EnumShape(Enum.GetNames(type), [.. Enum.GetNames(type).Select(n => Enum.Parse(type, n))]);
        if (type.IsArray)
            return new ListShape(ShapeOf(type.GetElementType()!), InstancesOf(type.GetElementType()!), isArray: true);
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>))
                return new MapShape(ShapeOf(args[1]), InstancesOf(args[1]));
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(List<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>))
                return new ListShape(ShapeOf(args[0]), InstancesOf(args[0]), isArray: false);
        }

        if (type.IsClass)
            return ObjectOf(type);
        throw new NotSupportedException($"The manifest loader has no shape for {type}.");
    }

    private static ModelInstances InstancesOf(Type type) =>
        (ModelInstances)Activator.CreateInstance(typeof(ModelInstances<>).MakeGenericType(type))!;
}
