using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Platform;

/// <summary>An object as the platform stores it: identity, version, labels and its JSON fields.</summary>
/// <remarks>
/// An observed object keeps its fields as its own UTF-8 JSON, not a tree of nodes nor a document, because a run holds
/// every object of the organisation at once: a document's token index (12 bytes a token) is as large again as the
/// text, so at 50,000 agents the pages' documents held 80 MB. Each read of <see cref="Json"/> indexes the text anew
/// (one object's few hundred bytes; a run reads each object about twice); <see cref="Fields"/> builds a new mutable
/// <see cref="JsonObject"/> on each read, <see cref="Field"/> reads one field without building the others.
/// </remarks>
public sealed record PlatformObject
{
    private readonly JsonObject? _node;
    private readonly Utf8Object _utf8;

    public PlatformObject(string Id, string Key, long Version, IReadOnlyDictionary<string, string> Labels, JsonObject Fields)
    {
        ArgumentNullException.ThrowIfNull(Fields);
        this.Id = Id;
        this.Key = Key;
        this.Version = Version;
        this.Labels = Labels;
        _node = Fields;
    }

    /// <summary>An object whose fields stay JSON until read: a copy of <paramref name="fields"/>' text, so it may be an element of a document that is disposed next.</summary>
    public PlatformObject(string id, string key, long version, IReadOnlyDictionary<string, string> labels, JsonElement fields)
        : this(id, key, version, labels, TextOf(fields))
    {
    }

    /// <summary>
    /// An object whose fields stay JSON until read: <paramref name="fields"/> is the UTF-8 text of one JSON object as a
    /// reader checked it (a list page's items share one array), kept as it is and never changed.
    /// </summary>
    public PlatformObject(string id, string key, long version, IReadOnlyDictionary<string, string> labels, ReadOnlyMemory<byte> fields)
    {
        if (fields.Span is not [(byte)'{', ..])
            throw new ArgumentException("The fields of a platform object are the text of a JSON object.", nameof(fields));
        Id = id;
        Key = key;
        Version = version;
        Labels = labels;
        _utf8 = new Utf8Object(fields);
    }

    public string Id { get; init; }

    public string Key { get; init; }

    public long Version { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>The fields as a JSON object; for an observed object a new copy on every read (changing it changes nothing here).</summary>
    public JsonObject Fields
    {
        get => _node ?? JsonObject.Create(_utf8.Parse())!;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _node = value;
            _utf8 = default;
        }
    }

    /// <summary>
    /// The fields as read-only JSON: for an observed object its own text, indexed anew on each read; for one built from a
    /// <see cref="JsonObject"/>, a new serialisation of it on each read.
    /// </summary>
    public JsonElement Json => _node is null ? _utf8.Parse() : WireJson.ToElement(_node);

    /// <summary>
    /// The fields as read-only JSON in a document of their own, which the caller disposes: an observed object's text is
    /// indexed in a pooled buffer that disposing gives back. The reads every object of a run gets (is it unchanged, the
    /// organisation's totals) use this, not <see cref="Json"/>, whose index each read leaves to the collector.
    /// </summary>
    public JsonDocument ReadJson() =>
        _node is null ? JsonDocument.Parse(_utf8.Text) : JsonSerializer.SerializeToDocument(_node, WireJsonContext.Default.JsonObject);

    /// <summary>One field as <c>Fields[name]</c> gives it (null when absent or JSON null), without building the others.</summary>
    public JsonNode? Field(string name)
    {
        if (_node is not null)
            return _node[name];
        if (!_utf8.Parse().TryGetProperty(name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.Object => JsonObject.Create(value),
            JsonValueKind.Array => JsonArray.Create(value),
            _ => JsonValue.Create(value),
        };
    }

    public void Deconstruct(out string Id, out string Key, out long Version, out IReadOnlyDictionary<string, string> Labels, out JsonObject Fields)
    {
        Id = this.Id;
        Key = this.Key;
        Version = this.Version;
        Labels = this.Labels;
        Fields = this.Fields;
    }

    private static byte[] TextOf(JsonElement fields) => fields.ValueKind == JsonValueKind.Object
        ? JsonMarshal.GetRawUtf8Value(fields).ToArray()
        : throw new ArgumentException($"The fields of a platform object are a JSON object, not {fields.ValueKind}.", nameof(fields));

    /// <summary>
    /// An object's JSON text, equal to another with the same text: two objects read from the same JSON are equal, as
    /// they were when they shared its document.
    /// </summary>
    private readonly struct Utf8Object(ReadOnlyMemory<byte> utf8) : IEquatable<Utf8Object>
    {
        private readonly ReadOnlyMemory<byte> _utf8 = utf8;

        public ReadOnlyMemory<byte> Text => _utf8;

        // Over the text itself, not a copy; the caller may keep the element, so the document is never disposed and its
        // index, rented from the shared pool, is left to the collector rather than given back.
        public JsonElement Parse() => JsonDocument.Parse(_utf8).RootElement;

        public bool Equals(Utf8Object other) => _utf8.Span.SequenceEqual(other._utf8.Span);

        public override bool Equals(object? obj) => obj is Utf8Object other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.AddBytes(_utf8.Span);
            return hash.ToHashCode();
        }
    }
}
