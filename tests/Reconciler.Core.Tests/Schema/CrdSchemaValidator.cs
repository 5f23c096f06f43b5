using System.Globalization;
using System.Text.RegularExpressions;
using Cel;
using Reconciler.Core.Schema;
using Reconciler.Core.Resources;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Core.Tests.Schema;

/// <summary>
/// Validates a manifest against a generated CRD the way the API server does on <c>kubectl apply</c>
/// (strict field validation): defaults, then types, required fields, enums, lengths, ranges, patterns,
/// <c>format: date</c>, list types, and every <c>x-kubernetes-validations</c> rule evaluated by a real
/// CEL implementation with the Kubernetes string functions the rules use.
/// </summary>
internal sealed class CrdSchemaValidator
{
    private static readonly Dictionary<string, YamlMappingNode> Schemas = ResourceCatalog.Kinds.ToDictionary(
        k => k.Kind,
        k => CrdYaml.Root(CrdYaml.Load(CrdGenerator.Generate(k))),
        StringComparer.Ordinal);

    private readonly CelEnvironment _cel = KubernetesCel.Create();
    private readonly List<string> _errors = [];

    private CrdSchemaValidator()
    {
    }

    /// <summary>Problems the API server would report for the document (kind from the document), as "path: message".</summary>
    public static IReadOnlyList<string> Validate(YamlMappingNode document)
    {
        var kind = ((YamlScalarNode)document.Children[new YamlScalarNode("kind")]).Value!;
        var validator = new CrdSchemaValidator();
        var value = YamlToJson.FromYaml(document);
        validator.Check(Schemas[kind], ref value, "");
        return validator._errors;
    }

    /// <summary>Every document of a YAML stream with its problems.</summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<string> Errors)> ValidateAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents
            .Where(d => d.RootNode is YamlMappingNode { Children.Count: > 0 })
            .Select(d => (Name(d), Validate((YamlMappingNode)d.RootNode)))];
    }

    private static string Name(YamlDocument document) =>
        ((YamlMappingNode)document.RootNode).Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata)
            ? ((YamlMappingNode)metadata).Scalar("name") ?? "?"
            : "?";

    private void Check(YamlMappingNode schema, ref object? value, string path)
    {
        if (value is null)
        {
            Error(path, "must not be null");
            return;
        }

        var type = schema.Scalar("type");
        switch (type)
        {
            case "object" when value is Dictionary<string, object?> map:
                CheckObject(schema, map, path);
                break;
            case "array" when value is List<object?> list:
                CheckArray(schema, list, path);
                break;
            case "string" when value is string text:
                CheckString(schema, text, path);
                break;
            case "integer" when value is long number:
                if (Long(schema, "minimum") is { } min && number < min)
                    Error(path, $"should be greater than or equal to {min}");
                if (Long(schema, "maximum") is { } max && number > max)
                    Error(path, $"should be less than or equal to {max}");
                break;
            case "boolean" when value is bool:
                break;
            default:
                Error(path, $"expected {type}, got {value.GetType().Name}");
                return;
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("x-kubernetes-validations"), out var rules))
        {
            foreach (var rule in ((YamlSequenceNode)rules).Cast<YamlMappingNode>())
                Evaluate(rule, value, path);
        }
    }

    private void CheckObject(YamlMappingNode schema, Dictionary<string, object?> map, string path)
    {
        var properties = schema.Children.TryGetValue(new YamlScalarNode("properties"), out var p) ? (YamlMappingNode)p : null;
        var additional = schema.Children.TryGetValue(new YamlScalarNode("additionalProperties"), out var a) ? (YamlMappingNode)a : null;
        if (properties is null && additional is null)
            return; // metadata: the API server's own schema, not the CRD's

        if (properties is not null)
        {
            foreach (var (key, propertySchema) in properties.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                if (!map.ContainsKey(name) && ((YamlMappingNode)propertySchema).Children.TryGetValue(new YamlScalarNode("default"), out var def))
                    map[name] = YamlToJson.FromYaml(def, (YamlMappingNode)propertySchema);
            }
        }

        foreach (var required in schema.Strings("required").Where(r => !map.ContainsKey(r)))
            Error(Join(path, required), "Required value");

        foreach (var key in map.Keys.ToList())
        {
            var child = map[key];
            var childPath = Join(path, key);
            if (properties?.Children.TryGetValue(new YamlScalarNode(key), out var propertySchema) == true)
                Check((YamlMappingNode)propertySchema, ref child, childPath);
            else if (additional is not null)
                Check(additional, ref child, childPath);
            else
                Error(childPath, "unknown field");
            map[key] = child;
        }
    }

    private void CheckArray(YamlMappingNode schema, List<object?> list, string path)
    {
        if (Long(schema, "minItems") is { } min && list.Count < min)
            Error(path, $"should have at least {min} items");
        if (Long(schema, "maxItems") is { } max && list.Count > max)
            Error(path, $"must have at most {max} items");

        var items = schema.Map("items");
        for (var i = 0; i < list.Count; i++)
        {
            var item = list[i];
            Check(items, ref item, $"{path}[{i}]");
            list[i] = item;
        }

        IEnumerable<string> keys = schema.Scalar("x-kubernetes-list-type") switch
        {
            "set" => list.Select(YamlToJson.Key),
            "map" => list.OfType<Dictionary<string, object?>>()
                .Select(item => string.Join("|", schema.Strings("x-kubernetes-list-map-keys").Select(k => YamlToJson.Key(item.GetValueOrDefault(k))))),
            _ => [],
        };
        foreach (var duplicate in keys.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1))
            Error(path, $"Duplicate value: {duplicate.Key}");
    }

    private void CheckString(YamlMappingNode schema, string text, string path)
    {
        if (schema.Strings("enum") is { Count: > 0 } values && !values.Contains(text, StringComparer.Ordinal))
            Error(path, $"Unsupported value: \"{text}\"");
        if (Long(schema, "minLength") is { } min && text.Length < min)
            Error(path, $"should be at least {min} chars long");
        if (Long(schema, "maxLength") is { } max && text.Length > max)
            Error(path, $"may not be more than {max} bytes");
        if (schema.Scalar("pattern") is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant))
            Error(path, $"should match '{pattern}'");
        if (schema.Scalar("format") == "date" && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            Error(path, "must be a date (format: date)");
    }

    private void Evaluate(YamlMappingNode rule, object? value, string path)
    {
        var expression = rule.Scalar("rule")!;
        var at = Join(path, (rule.Scalar("fieldPath") ?? "").TrimStart('.'));
        try
        {
            if (_cel.Program(expression, new Dictionary<string, object?> { ["self"] = value }) is not true)
                Error(at, rule.Scalar("message") ?? $"failed rule: {expression}");
        }
        catch (CelException e)
        {
            Error(at, $"rule {expression} could not be evaluated: {e.Message}");
        }
    }

    private void Error(string path, string message) => _errors.Add($"{path}: {message}");

    private static long? Long(YamlMappingNode schema, string key) =>
        schema.Scalar(key) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;

    private static string Join(string path, string name) => name.Length == 0 ? path : path.Length == 0 ? name : $"{path}.{name}";
}
