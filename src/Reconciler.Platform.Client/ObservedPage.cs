using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Platform;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Client;

/// <summary>
/// Reads the Admin API's answers (a list page's items, one object) into values that outlive the response's pooled
/// document: each object keeps a copy of its own JSON text (see <see cref="PlatformObject"/>), not a tree of nodes.
/// </summary>
internal static class ObservedPage
{
    /// <summary>The label names of a page kept once, not per object (see <see cref="PageLabels"/>); more are read per object.</summary>
    private const int SharedLabelNames = 32;

    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(0, StringComparer.Ordinal).AsReadOnly();

    /// <summary>An owned empty JSON object, for an answer without a body.</summary>
    public static JsonElement EmptyObject { get; } = ParseOwned("{}"u8);

    /// <summary>An object known only by its id (a create answered without a body names it in <c>Location</c>).</summary>
    public static JsonElement WithId(string id) => ParseOwned(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["id"] = id }, WireJsonContext.Default.JsonObject));

    /// <summary>The objects of a page's <c>items</c> array (non-objects are skipped).</summary>
    /// <remarks>
    /// The objects' texts are copied out of the pooled response into one array that they share: an array per object
    /// would add its header to each of the thousand, and the collector would copy each small array as it ages, while
    /// a page's array is large and stays where it is.
    /// </remarks>
    public static List<PlatformObject> Objects(JsonElement items)
    {
        var length = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
                length += JsonMarshal.GetRawUtf8Value(item).Length;
        }

        var texts = new byte[length];
        var at = 0;
        var objects = new List<PlatformObject>(items.GetArrayLength());
        var labels = new PageLabels();
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                continue;
            var text = JsonMarshal.GetRawUtf8Value(item);
            text.CopyTo(texts.AsSpan(at));
            objects.Add(Read(item, texts.AsMemory(at, text.Length), labels));
            at += text.Length;
        }

        return objects;
    }

    /// <summary>One object answered by a get, a create or a replace.</summary>
    public static PlatformObject Object(JsonElement json) => Read(json, JsonMarshal.GetRawUtf8Value(json).ToArray(), new PageLabels());

    /// <summary>
    /// One object answered by a get, which names it by its <c>id</c>. An answer without one (a gateway's empty 200, <c>{}</c>,
    /// another service's JSON) read as an object made the plan compare the manifest with nothing, a change in every field.
    /// </summary>
    public static PlatformObject Fetched(JsonElement json) =>
        Text(json, "id"u8).Length > 0 ? Object(json) : throw new InvalidOperationException("an object is answered with its 'id', and this answer has none");

    /// <summary>The <c>name</c> of each item of a catalog page (permissions, placeholders).</summary>
    public static List<string> Names(JsonElement items)
    {
        var names = new List<string>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
                names.Add(item.GetProperty("name").GetString() ?? throw new InvalidOperationException("A catalog item's name is null."));
        }

        return names;
    }

    /// <summary>An object of <paramref name="json"/>, an element of the pooled response, whose text copied out is <paramref name="text"/>.</summary>
    private static PlatformObject Read(JsonElement json, ReadOnlyMemory<byte> text, PageLabels labels) =>
        new(Text(json, "id"u8), Text(json, "key"u8), Version(json), Labels(json, labels), text);

    private static string Text(JsonElement json, ReadOnlySpan<byte> name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString()! : "";

    private static long Version(JsonElement json) =>
        json.TryGetProperty("version"u8, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetInt64() : 0;

    private static IReadOnlyDictionary<string, string> Labels(JsonElement json, PageLabels page)
    {
        if (!json.TryGetProperty("labels"u8, out var map) || map.ValueKind != JsonValueKind.Object)
            return NoLabels;
        var labels = new List<KeyValuePair<string, string>>();
        foreach (var label in map.EnumerateObject())
        {
            if (label.Value.ValueKind == JsonValueKind.Null)
                continue;
            if (label.Value.ValueKind != JsonValueKind.String)
                throw new InvalidOperationException($"The value of label '{label.Name}' is a {label.Value.ValueKind}, not a string.");
            labels.Add(page.Read(label));
        }

        return LabelList.Of(labels);
    }

    private static JsonElement ParseOwned(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>
    /// A page's label names, found by their UTF-8 bytes so a known one is never decoded again, each with the value
    /// the last object before had: a value the objects share (the ownership marker) is kept once, and one of an
    /// object's own (its source label) is compared with that one value, not with every value remembered so far.
    /// </summary>
    private sealed class PageLabels
    {
        private readonly List<(byte[] Utf8, string Text)> _names = [];
        private readonly List<string?> _lastValues = [];

        public KeyValuePair<string, string> Read(JsonProperty label)
        {
            var at = IndexOf(label);
            var name = at >= 0 ? _names[at].Text : label.Name;
            if (at < 0 && _names.Count < SharedLabelNames)
            {
                at = _names.Count;
                _names.Add((Encoding.UTF8.GetBytes(name), name));
                _lastValues.Add(null);
            }

            if (at >= 0 && _lastValues[at] is { } last && label.Value.ValueEquals(last))
                return KeyValuePair.Create(name, last);
            var value = label.Value.GetString()!;
            if (at >= 0)
                _lastValues[at] = value;
            return KeyValuePair.Create(name, value);
        }

        private int IndexOf(JsonProperty label)
        {
            for (var i = 0; i < _names.Count; i++)
            {
                if (label.NameEquals(_names[i].Utf8))
                    return i;
            }

            return -1;
        }
    }
}
