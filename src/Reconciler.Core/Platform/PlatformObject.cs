using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Platform;

/// <summary>An object as the platform stores it: identity, version, labels and its JSON fields.</summary>
/// <remarks>
/// An observed object keeps its fields as read-only UTF-8 JSON (a <see cref="JsonElement"/> of its own document: the
/// bytes and their token index, no tree of nodes), because a run holds every object of the organisation at once.
/// <see cref="Fields"/> then builds a new mutable <see cref="JsonObject"/> on each read; <see cref="Field"/> reads one
/// field without building the others, and <see cref="Json"/> reads them without building nodes at all.
/// </remarks>
public sealed record PlatformObject
{
    private readonly JsonObject? _node;
    private readonly JsonElement _element;

    public PlatformObject(string Id, string Key, long Version, IReadOnlyDictionary<string, string> Labels, JsonObject Fields)
    {
        ArgumentNullException.ThrowIfNull(Fields);
        this.Id = Id;
        this.Key = Key;
        this.Version = Version;
        this.Labels = Labels;
        _node = Fields;
    }

    /// <summary>An object whose fields stay JSON until read; <paramref name="fields"/> must be a JSON object that outlives this one (a clone, not an element of a document that will be disposed).</summary>
    public PlatformObject(string id, string key, long version, IReadOnlyDictionary<string, string> labels, JsonElement fields)
    {
        if (fields.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"The fields of a platform object are a JSON object, not {fields.ValueKind}.", nameof(fields));
        Id = id;
        Key = key;
        Version = version;
        Labels = labels;
        _element = fields;
    }

    public string Id { get; init; }

    public string Key { get; init; }

    public long Version { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>The fields as a JSON object; for an observed object a new copy on every read (changing it changes nothing here).</summary>
    public JsonObject Fields
    {
        get => _node ?? JsonObject.Create(_element)!;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _node = value;
            _element = default;
        }
    }

    /// <summary>
    /// The fields as read-only JSON: for an observed object its own, read in place; for one built from a
    /// <see cref="JsonObject"/>, a new serialisation of it on each read.
    /// </summary>
    public JsonElement Json => _node is null ? _element : WireJson.ToElement(_node);

    /// <summary>One field as <c>Fields[name]</c> gives it (null when absent or JSON null), without building the others.</summary>
    public JsonNode? Field(string name)
    {
        if (_node is not null)
            return _node[name];
        if (!_element.TryGetProperty(name, out var value))
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
}
