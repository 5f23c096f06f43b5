using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace Reconciler.Core.Manifests;

/// <summary>A resource read from an object rather than a file, checked as its file would be; opaque until assembled into a set.</summary>
public sealed class ParsedManifest
{
    internal ParsedManifest(object parsed) => Parsed = parsed;

    internal object Parsed { get; }
}

/// <summary>Loading from objects: the operator's custom resources arrive as JSON already, so they skip the text round trip.</summary>
public static partial class ManifestLoader
{
    /// <summary>
    /// Checks and types one object (the spec of a custom resource) as the loader checks a file: same shapes, same
    /// diagnostics, none of the serialisation to text and parsing back. <paramref name="file"/> names it in diagnostics.
    /// </summary>
    public static ParsedManifest ParseObject(string file, string kind, string name, JsonObject? spec)
    {
        ArgumentNullException.ThrowIfNull(file);
        var at = new TextPosition(1, 1);
        var root = new YamlMappingNode(at,
        [
            new(Key("apiVersion", at), Scalar(Resources.Resource.GroupVersion, at)),
            new(Key("kind", at), Scalar(kind, at)),
            new(Key("metadata", at), new YamlMappingNode(at, [new(Key("name", at), Scalar(name, at))])),
            new(Key("spec", at), Tree(spec ?? [], at)),
        ]);
        var diagnostics = new List<Diagnostic>();
        var tree = new YamlDocumentNode(at.In(file), root);
        var document = LoadDocument(tree, new FileTrees(file, [tree]), 0, new ShapeChecker(file, diagnostics), diagnostics);
        return new ParsedManifest(new ParsedFile([new(document, diagnostics.Count, 0)], diagnostics));
    }

    /// <summary>The set of several parsed objects, with the duplicate checks a set of files gets.</summary>
    public static ManifestSet Assemble(IEnumerable<ParsedManifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        return Assemble(manifests.Select(m => (ParsedFile)m.Parsed), []);
    }

    private static YamlScalarNode Key(string name, TextPosition at) => new(at, name, ScalarStyle.DoubleQuoted);

    private static YamlScalarNode Scalar(string value, TextPosition at) => new(at, value, ScalarStyle.DoubleQuoted);

    // What a YAML reader makes of the same JSON text: strings quoted (so "123" stays a string), numbers, booleans and null plain.
    private static YamlNode Tree(JsonNode? node, TextPosition at) => node switch
    {
        JsonObject obj => new YamlMappingNode(at, [.. obj.Select(p => new YamlEntry(Key(p.Key, at), Tree(p.Value, at)))]),
        JsonArray array => new YamlSequenceNode(at, [.. array.Select(i => Tree(i, at))]),
        null => new YamlScalarNode(at, "null", ScalarStyle.Plain),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => Scalar(value.GetValue<string>(), at),
        _ => new YamlScalarNode(at, node.ToJsonString(), ScalarStyle.Plain),
    };
}
