using System.Text;
using System.Text.Json;
using Reconciler.Core.Platform;

namespace Reconciler.Platform.Client;

/// <summary>
/// Reads the Admin API's answers (a list page's items, one object) into values that outlive the response's pooled
/// document: each object keeps a copy of its own JSON, not a tree of nodes.
/// </summary>
internal static class ObservedPage
{
    /// <summary>
    /// Label names and the values most objects share (the ownership marker) are kept once per page, not per object,
    /// and found by their UTF-8 bytes, so a shared one is never decoded again.
    /// </summary>
    private const int SharedLabelStrings = 32;

    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(0, StringComparer.Ordinal).AsReadOnly();

    /// <summary>An owned empty JSON object, for an answer without a body.</summary>
    public static JsonElement EmptyObject { get; } = ParseOwned("{}"u8);

    /// <summary>The objects of a page's <c>items</c> (anything but an array reads as none; non-objects are skipped).</summary>
    /// <remarks>
    /// The page's items are copied out of the pooled response once, and every object keeps its element of that one
    /// copy: a copy per object would add a document and two arrays to each of the thousand.
    /// </remarks>
    public static List<PlatformObject> Objects(JsonElement items)
    {
        if (items.ValueKind != JsonValueKind.Array)
            return [];
        var objects = new List<PlatformObject>(items.GetArrayLength());
        var shared = new List<(byte[] Utf8, string Text)>();
        foreach (var item in items.Clone().EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
                objects.Add(Read(item, shared));
        }

        return objects;
    }

    /// <summary>One object answered by a get, a create or a replace.</summary>
    public static PlatformObject Object(JsonElement json) => Read(json.Clone(), []);

    /// <summary>The <c>name</c> of each item of a catalog page (permissions, placeholders).</summary>
    public static List<string> Names(JsonElement items)
    {
        if (items.ValueKind != JsonValueKind.Array)
            return [];
        var names = new List<string>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
                names.Add(item.GetProperty("name").GetString() ?? throw new InvalidOperationException("A catalog item's name is null."));
        }

        return names;
    }

    /// <summary>An object of <paramref name="json"/>, which must outlive it (a copy, not an element of the pooled response).</summary>
    private static PlatformObject Read(JsonElement json, List<(byte[] Utf8, string Text)> shared) =>
        new(Text(json, "id"u8), Text(json, "key"u8), Version(json), Labels(json, shared), json);

    private static string Text(JsonElement json, ReadOnlySpan<byte> name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString()! : "";

    private static long Version(JsonElement json) =>
        json.TryGetProperty("version"u8, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetInt64() : 0;

    private static IReadOnlyDictionary<string, string> Labels(JsonElement json, List<(byte[] Utf8, string Text)> shared)
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
            labels.Add(KeyValuePair.Create(Name(shared, label), Value(shared, label.Value)));
        }

        return LabelList.Of(labels);
    }

    private static string Name(List<(byte[] Utf8, string Text)> shared, JsonProperty label)
    {
        foreach (var (utf8, text) in shared)
        {
            if (label.NameEquals(utf8))
                return text;
        }

        return Remember(shared, label.Name);
    }

    private static string Value(List<(byte[] Utf8, string Text)> shared, JsonElement value)
    {
        foreach (var (utf8, text) in shared)
        {
            if (value.ValueEquals(utf8))
                return text;
        }

        return Remember(shared, value.GetString()!);
    }

    private static string Remember(List<(byte[] Utf8, string Text)> shared, string text)
    {
        if (shared.Count < SharedLabelStrings)
            shared.Add((Encoding.UTF8.GetBytes(text), text));
        return text;
    }

    private static JsonElement ParseOwned(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        return JsonElement.ParseValue(ref reader);
    }
}
