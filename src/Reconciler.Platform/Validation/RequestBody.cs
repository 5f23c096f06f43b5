using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Validation;

/// <summary>
/// Turns a request body into a contract DTO, reporting missing required members and type
/// mismatches per field (JSON path) instead of one opaque deserialisation error.
/// </summary>
internal static class RequestBody
{
    public static T? Parse<T>(ReadOnlySpan<byte> body, ValidationErrors errors)
        where T : class
    {
        JsonNode? node;
        try
        {
            // A property written twice is refused here: which one counts is the reader's guess, and the node model
            // threw on it later, which answered 500.
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            // The parser's message can quote the body, and a body can carry a client secret: give the position only.
            errors.Add("$", $"body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})");
            return null;
        }

        if (node is not JsonObject obj)
        {
            errors.Add("$", "body must be a JSON object");
            return null;
        }

        CheckRequired(typeof(T), obj, "", errors);
        if (!errors.IsEmpty)
        {
            return null;
        }

        try
        {
            return obj.Deserialize(WireJson.TypeInfo<T>());
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "$";
            errors.Add(path, "has the wrong type or format");
            return null;
        }
    }

    private static void CheckRequired(Type type, JsonObject obj, string prefix, ValidationErrors errors)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            obj.TryGetPropertyValue(name, out var value);
            if (property.IsDefined(typeof(RequiredMemberAttribute)) && value is null)
            {
                errors.Add(path, "is required");
                continue;
            }

            var nested = NestedType(property.PropertyType, out var isList);
            if (nested is null || value is null)
            {
                continue;
            }

            if (isList && value is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject item)
                    {
                        CheckRequired(nested, item, $"{path}[{i}]", errors);
                    }
                }
            }
            else if (!isList && value is JsonObject child)
            {
                CheckRequired(nested, child, path, errors);
            }
        }
    }

    private static Type? NestedType(Type type, out bool isList)
    {
        isList = false;
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element])
        {
            isList = true;
            type = element;
        }

        return type.Assembly == typeof(WireObject).Assembly && type.IsClass ? type : null;
    }
}
