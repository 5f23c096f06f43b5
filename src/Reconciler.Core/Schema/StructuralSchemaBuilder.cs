using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;
using NJsonSchema;
using NJsonSchema.Generation;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Schema;

/// <summary>
/// Turns a CLR type into a Kubernetes structural OpenAPI v3 schema: NJsonSchema reads the
/// DataAnnotations, then every <c>$ref</c>, <c>allOf</c> and <c>oneOf</c> is inlined because
/// the API server rejects CRD schemas that use them.
/// </summary>
internal sealed partial class StructuralSchemaBuilder
{
    // Newtonsoft settings that produce what System.Text.Json (web defaults) writes: camelCase, enums as names.
    private static JsonSchemaGeneratorSettings CreateSettings() => new()
    {
        SchemaType = SchemaType.JsonSchema,
        DefaultReferenceTypeNullHandling = ReferenceTypeNullHandling.NotNull,
        DefaultDictionaryValueReferenceTypeNullHandling = ReferenceTypeNullHandling.NotNull,
        GenerateEnumMappingDescription = false,
        FlattenInheritanceHierarchy = true,
        AllowReferencesWithProperties = false,
        GenerateAbstractSchemas = false,
        SerializerSettings = new JsonSerializerSettings
        {
            ContractResolver = new CamelCasePropertyNamesContractResolver(),
            Converters = { new StringEnumConverter() },
        },
    };

    private readonly bool _withDefaults;

    private StructuralSchemaBuilder(bool withDefaults) => _withDefaults = withDefaults;

    /// <summary>Builds the schema of <paramref name="type"/>; defaults are rendered for spec types only.</summary>
    public static SchemaNode Build(Type type, string description, bool withDefaults)
    {
        var schema = JsonSchema.FromType(type, CreateSettings());
        var node = new StructuralSchemaBuilder(withDefaults).Convert(schema, type, description);
        return node;
    }

    private SchemaNode Convert(JsonSchema schema, Type clrType, string? description)
    {
        var parts = Parts(schema).ToList();
        var type = Nullable.GetUnderlyingType(clrType) ?? clrType;
        var node = new SchemaNode();

        node["description"] = First(parts, p => p.Description) is { Length: > 0 } own
            ? own
            : description ?? type.GetCustomAttribute<DescriptionAttribute>()?.Description;

        if (ElementType(type) == typeof(Condition))
            return ConditionSchema.List((string?)node["description"]);

        if (type.IsEnum)
        {
            node["type"] = "string";
            node["enum"] = Enum.GetNames(type).ToList();
            return node;
        }

        var jsonType = parts.Select(p => p.Type & ~JsonObjectType.Null).FirstOrDefault(t => t != JsonObjectType.None);
        var elementType = ElementType(type);
        if (jsonType == JsonObjectType.None)
        {
            jsonType = elementType is not null ? JsonObjectType.Array
                : parts.Any(p => p.Properties.Count > 0) ? JsonObjectType.Object
                : JsonObjectType.None;
        }

        if (jsonType == JsonObjectType.None)
        {
            // Nothing is known about the value: let the API server keep it as it is.
            node["x-kubernetes-preserve-unknown-fields"] = true;
            return node;
        }

        node["type"] = TypeName(jsonType);
        var format = First(parts, p => p.Format);
        node["format"] = format;
        node["pattern"] = ToRe2(First(parts, p => p.Pattern) ?? FormatPattern(format));
        node["minLength"] = First(parts, p => p.MinLength);
        node["maxLength"] = First(parts, p => p.MaxLength);
        node["minimum"] = Number(First(parts, p => p.Minimum));
        node["maximum"] = Number(First(parts, p => p.Maximum));
        node["minItems"] = parts.Select(p => p.MinItems).FirstOrDefault(n => n > 0) is var minItems and > 0 ? minItems : null;
        node["maxItems"] = parts.Select(p => p.MaxItems).FirstOrDefault(n => n > 0) is var maxItems and > 0 ? maxItems : null;

        if (jsonType == JsonObjectType.Array)
        {
            var item = First(parts, p => p.Item) ?? new JsonSchema();
            node["items"] = Convert(item, elementType ?? typeof(object), null);
            return node;
        }

        if (jsonType != JsonObjectType.Object)
            return node;

        if (DictionaryValueType(type) is { } valueType)
        {
            var valueSchema = First(parts, p => p.AdditionalPropertiesSchema) ?? new JsonSchema();
            node["additionalProperties"] = Convert(valueSchema, valueType, null);
            return node;
        }

        var properties = new SortedDictionary<string, JsonSchemaProperty>(StringComparer.Ordinal);
        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var (name, property) in part.Properties)
            {
                properties.TryAdd(name, property);
                if (property.IsRequired)
                    required.Add(name);
            }

            foreach (var name in part.RequiredProperties)
                required.Add(name);
        }

        var defaults = _withDefaults ? DefaultsOf(type) : null;
        var props = new SchemaNode();
        foreach (var (name, property) in properties)
        {
            var clrProperty = FindProperty(type, name);
            var propertyType = clrProperty?.PropertyType ?? typeof(object);
            var child = Convert(property, propertyType, clrProperty?.GetCustomAttribute<DescriptionAttribute>()?.Description);
            if (clrProperty is not null)
                ApplyPropertyAttributes(child, clrProperty);
            if (!required.Contains(name) && defaults is not null && clrProperty is not null
                && DefaultValue(clrProperty, defaults) is { } value)
            {
                child.InsertAfter("type", "default", value);
            }

            props[name] = child;
        }

        if (required.Count > 0)
            node["required"] = required.ToList();
        if (props.Count > 0)
            node["properties"] = props;

        AddRules(node, type);
        return node;
    }

    /// <summary>Adds the <see cref="CelRuleAttribute"/>s of a type or property to <paramref name="node"/>'s <c>x-kubernetes-validations</c>.</summary>
    public static void AddRules(SchemaNode node, ICustomAttributeProvider source)
    {
        var rules = source.GetCustomAttributes(typeof(CelRuleAttribute), inherit: false).Cast<CelRuleAttribute>()
            .Select(r => new SchemaNode { ["rule"] = r.Rule, ["message"] = r.Message, ["fieldPath"] = r.FieldPath })
            .ToList();
        AppendRules(node, rules);
    }

    private static void AppendRules(SchemaNode node, List<SchemaNode> rules)
    {
        if (rules.Count == 0)
            return;
        var existing = node["x-kubernetes-validations"] as List<SchemaNode> ?? [];
        node["x-kubernetes-validations"] = existing.Concat(rules).ToList();
    }

    /// <summary>What the property's attributes add to its schema: string constraints (on the items of a list), list type, CEL rules.</summary>
    private static void ApplyPropertyAttributes(SchemaNode node, PropertyInfo property)
    {
        if (property.GetCustomAttribute<CrdStringAttribute>() is { } text)
        {
            var target = node["items"] as SchemaNode ?? node;
            if (text.Format is not null)
                target["format"] = text.Format;
            if (text.Pattern is not null)
                target["pattern"] = ToRe2(text.Pattern);
            if (text.MaxLength > 0)
                target["maxLength"] = text.MaxLength;
        }

        if (property.GetCustomAttribute<CrdListAttribute>() is { } list)
        {
            node["x-kubernetes-list-type"] = list.Type == CrdListType.Set ? "set" : "map";
            if (list.Type == CrdListType.Map)
                node["x-kubernetes-list-map-keys"] = list.MapKeys.ToList();
        }

        if (property.GetCustomAttribute<MinimumDurationAttribute>() is { } least)
            AppendRules(node, [new SchemaNode { ["rule"] = $"duration(self) >= duration('{least.Minimum}')", ["message"] = $"must be a duration of at least {least.Minimum}" }]);

        AddRules(node, property);
    }

    /// <summary>The shared pattern that goes with a format validation checks in code (e-mail, http(s) URL).</summary>
    private static string? FormatPattern(string? format) => format switch
    {
        "email" => Patterns.Email,
        "uri" => Patterns.HttpUrl,
        _ => null,
    };

    /// <summary>Named groups are .NET (and Go 1.22+) syntax; older API servers' RE2 wants plain groups.</summary>
    private static string? ToRe2(string? pattern) => pattern is null ? null : NamedGroup().Replace(pattern, "(?:");

    [GeneratedRegex(@"\(\?<[A-Za-z][A-Za-z0-9]*>")]
    private static partial Regex NamedGroup();

    /// <summary>The schema itself and everything it stands for through $ref, allOf and non-null oneOf/anyOf.</summary>
    private static IEnumerable<JsonSchema> Parts(JsonSchema schema)
    {
        yield return schema;
        if (schema.Reference is { } target)
        {
            foreach (var part in Parts(target))
                yield return part;
        }

        foreach (var member in schema.AllOf.Concat(schema.OneOf).Concat(schema.AnyOf))
        {
            if (member.Type == JsonObjectType.Null)
                continue;
            foreach (var part in Parts(member))
                yield return part;
        }
    }

    private static T? First<T>(IEnumerable<JsonSchema> parts, Func<JsonSchema, T?> select) =>
        parts.Select(select).FirstOrDefault(v => v is not null && (v is not string s || s.Length > 0));

    private static object? Number(decimal? value) =>
        value is null ? null
        : decimal.Truncate(value.Value) == value.Value ? (object)(long)value.Value
        : (double)value.Value;

    private static string TypeName(JsonObjectType type) => type switch
    {
        _ when type.HasFlag(JsonObjectType.Object) => "object",
        _ when type.HasFlag(JsonObjectType.Array) => "array",
        _ when type.HasFlag(JsonObjectType.String) => "string",
        _ when type.HasFlag(JsonObjectType.Integer) => "integer",
        _ when type.HasFlag(JsonObjectType.Number) => "number",
        _ when type.HasFlag(JsonObjectType.Boolean) => "boolean",
        _ => throw new InvalidOperationException($"No structural type for {type}."),
    };

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string) || DictionaryValueType(type) is not null)
            return null;
        if (type.IsArray)
            return type.GetElementType();
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static Type? DictionaryValueType(Type type)
    {
        var candidates = type.IsInterface ? type.GetInterfaces().Append(type) : type.GetInterfaces();
        var dictionary = candidates.FirstOrDefault(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IDictionary<,>)));
        return dictionary?.GetGenericArguments()[1];
    }

    private static PropertyInfo? FindProperty(Type type, string jsonName) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.Name, jsonName, StringComparison.OrdinalIgnoreCase));

    private static object? DefaultsOf(Type type)
    {
        if (type.IsAbstract || type.IsInterface || type.GetConstructor(Type.EmptyTypes) is null)
            return null;

        // Property initialisers are the model's defaults; `required` is a compile-time rule only.
        return Activator.CreateInstance(type);
    }

    /// <summary>Scalar defaults only: the API server applies them, and they document the model's behaviour in kubectl explain.</summary>
    private static object? DefaultValue(PropertyInfo property, object instance)
    {
        var type = property.PropertyType;
        if (Nullable.GetUnderlyingType(type) is not null)
            return null;
        var value = property.GetValue(instance);
        return value switch
        {
            null => null,
            Enum e => e.ToString(),
            bool or int or long => value,
            string s when s.Length > 0 => s,
            _ => null,
        };
    }
}

/// <summary>An ordered YAML mapping whose <c>null</c> entries are dropped, so optional keywords can be set unconditionally.</summary>
internal sealed class SchemaNode : IEnumerable<KeyValuePair<string, object>>
{
    private readonly List<KeyValuePair<string, object>> _entries = [];

    public int Count => _entries.Count;

    public object? this[string key]
    {
        get => _entries.FirstOrDefault(e => e.Key == key).Value;
        set
        {
            var index = _entries.FindIndex(e => e.Key == key);
            if (value is null)
            {
                if (index >= 0)
                    _entries.RemoveAt(index);
                return;
            }

            if (index >= 0)
                _entries[index] = new(key, value);
            else
                _entries.Add(new(key, value));
        }
    }

    public void InsertAfter(string existing, string key, object value)
    {
        var index = _entries.FindIndex(e => e.Key == existing);
        _entries.Insert(index + 1, new(key, value));
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A plain ordered dictionary tree that YAML serializers understand.</summary>
    public OrderedDictionary<string, object> ToDictionary()
    {
        var result = new OrderedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in _entries)
            result.Add(key, Plain(value));
        return result;
    }

    private static object Plain(object value) => value switch
    {
        SchemaNode node => node.ToDictionary(),
        string or bool or int or long or double => value,
        IEnumerable list => list.Cast<object>().Select(Plain).ToList(),
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
