using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Platform.Validation;

/// <summary>
/// Turns a request body into a contract DTO, reporting missing required members and type
/// mismatches per field (JSON path) instead of one opaque deserialisation error.
/// </summary>
internal static class RequestBody
{
    private const int MaxDepth = 32;

    public static T? Parse<T>(ReadOnlySpan<byte> body, ValidationErrors errors)
        where T : class
    {
        // The parser checks neither: invalid UTF-8 was read as U+FFFD and stored, and an escaped lone surrogate ("\ud800")
        // threw when the string was read, which answered 500.
        if (!Utf8.IsValid(body))
        {
            errors.AddMalformed("The body is not valid JSON: it is not UTF-8.");
            return null;
        }

        JsonNode? node;
        try
        {
            // Read twice only when a string escapes a character at all: most bodies do not, and this runs on every write.
            if (body.IndexOf("\\u"u8) >= 0 && EscapesLoneSurrogate(body))
            {
                errors.AddMalformed("The body is not valid JSON: a string escapes half of a UTF-16 surrogate pair.");
                return null;
            }

            // A property written twice is refused here: which one counts is the reader's guess, and the node model
            // threw on it later, which answered 500.
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            // The parser's message can quote the body, and a body can carry a client secret: give the position only.
            // A property written twice is found after the object is read, and the parser gives no position for it.
            if (ex.LineNumber is { } line)
                errors.AddMalformed($"The body is not valid JSON (line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}).");
            else if (DuplicateProperty(body) is { } twice)
                errors.AddMalformed($"The body is not valid JSON: a property is written twice (line {twice.Line}, byte {twice.Byte}).");
            else
                errors.AddMalformed("The body is not valid JSON.");
            return null;
        }

        if (node is not JsonObject obj)
        {
            errors.Add("$", "body must be a JSON object");
            return null;
        }

        CheckRequired(typeof(T), obj, "", errors);
        CheckControlCharacters(obj, "", errors);
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

    /// <summary>Where the second of two same-named properties of one object starts (1-based line and byte), if any.</summary>
    private static (long Line, long Byte)? DuplicateProperty(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        var names = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName when !names.Peek().Add(reader.GetString()!):
                        var before = body[..(int)reader.TokenStartIndex];
                        var lineStart = before.LastIndexOf((byte)'\n') + 1;
                        return (before.Count((byte)'\n') + 1, before.Length - lineStart + 1);
                }
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return null;
    }

    /// <summary>
    /// Whether a string or property name escapes an unpaired surrogate, which no string can hold; throws
    /// <see cref="JsonException"/> where the body is not JSON.
    /// </summary>
    private static bool EscapesLoneSurrogate(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void CheckControlCharacters(JsonNode? node, string path, ValidationErrors errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    CheckControlCharacters(value, path.Length == 0 ? name : $"{path}.{name}", errors);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckControlCharacters(array[i], $"{path}[{i}]", errors);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && ControlCharacters.In(value.GetValue<string>()):
                errors.Add(path.Length == 0 ? "$" : path, ControlCharacters.Expected);
                break;
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
