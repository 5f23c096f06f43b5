using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>Writes resources as multi-document YAML manifests: apiVersion, kind, metadata.name and a spec without defaults-only noise.</summary>
public static partial class ManifestWriter
{
    /// <summary>
    /// The settings a manifest's spec is written with (camelCase, enums by name, nulls left out, text unescaped), over
    /// every kind's generated metadata: for writing only (see <see cref="ManifestJsonContext"/>).
    /// </summary>
    public static JsonSerializerOptions Json { get; } = CreateJsonOptions();

    public static string ToYaml(IEnumerable<Resource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var text = new StringBuilder();
        var first = true;
        foreach (var resource in resources)
        {
            if (!first)
                text.Append("---\n");
            first = false;
            var document = new JsonObject
            {
                ["apiVersion"] = resource.ApiVersion,
                ["kind"] = resource.Kind,
                ["metadata"] = new JsonObject { ["name"] = resource.Metadata.Name },
                ["spec"] = Clean(JsonSerializer.SerializeToNode(resource.SpecObject, Json.GetTypeInfo(resource.SpecObject.GetType()))),
            };
            WriteObject(text, document, 0);
        }

        return text.ToString();
    }

    /// <summary>Drops nulls, empty lists and the deletion policy (its default is what export means).</summary>
    private static JsonNode? Clean(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    if (name == "deletionPolicy")
                        continue;
                    var cleaned = Clean(value);
                    if (cleaned is null || cleaned is JsonArray { Count: 0 })
                        continue;
                    result[name] = cleaned;
                }

                return result;
            case JsonArray array:
                return new JsonArray([.. array.Select(Clean)]);
            default:
                return node?.DeepClone();
        }
    }

    private static void WriteObject(StringBuilder text, JsonObject obj, int indent)
    {
        foreach (var (name, value) in obj)
        {
            text.Append(' ', indent).Append(Key(name)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    /// <summary>
    /// A mapping key as go-yaml reads it back: a field name as it is, a key of a free-form map (a language, a label)
    /// quoted where it would read as something else (<c>no</c>, Norwegian, is the key "false" to kubectl unquoted). The
    /// first test gives what <see cref="Scalar"/> gives for a plain field name, without its pattern match for each of an
    /// export's many keys.
    /// </summary>
    internal static string Key(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && !name.AsSpan().ContainsAnyExcept(FieldNameCharacters) && !Reserved.Contains(name.ToLowerInvariant())
            ? name
            : Scalar(JsonValue.Create(name));

    private static readonly System.Buffers.SearchValues<char> FieldNameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private static void WriteValue(StringBuilder text, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                text.Append(" {}\n");
                break;
            case JsonObject child:
                text.Append('\n');
                WriteObject(text, child, indent + 2);
                break;
            case JsonArray array when array.All(i => i is not JsonObject and not JsonArray):
                text.Append(" [").Append(string.Join(", ", array.Select(Scalar))).Append("]\n");
                break;
            case JsonArray array:
                text.Append('\n');
                foreach (var item in array)
                {
                    text.Append(' ', indent + 2).Append("- ");
                    if (item is JsonObject element)
                    {
                        var inner = new StringBuilder();
                        WriteObject(inner, element, indent + 4);
                        text.Append(inner.ToString().TrimStart());
                    }
                    else
                    {
                        text.Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    /// <summary>Plain when unambiguous; double-quoted when YAML could read it as something else.</summary>
    public static string Scalar(JsonNode? value)
    {
        if (value is null)
            return "null";
        if (value.GetValueKind() != JsonValueKind.String)
            return value.ToJsonString();
        var text = value.GetValue<string>();
        return PlainSafe().IsMatch(text) && !Reserved.Contains(text.ToLowerInvariant()) && !text.Contains('\n', StringComparison.Ordinal)
            ? text
            : DoubleQuoted(text);
    }

    /// <summary>
    /// A YAML double-quoted scalar that go-yaml (kubectl, kustomize, Argo CD, Flux) reads back as written, not JSON's
    /// escaping: go-yaml refuses a <c>\u</c> escape of half a surrogate pair (JSON writes an emoji as two), refuses a
    /// raw DEL, C1 control or U+FFFE/U+FFFF, and folds a raw NEL into a space. So characters beyond the BMP are
    /// written as they are, non-printable ones as <c>\u</c> escapes, and half a pair (no character) as U+FFFD, as
    /// UTF-8 would write it. The result is a JSON string too (every escape it writes is one of JSON's), so a JSON
    /// manifest can take it as it is.
    /// </summary>
    public static string DoubleQuoted(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                quoted.Append(c).Append(text[++i]);
                continue;
            }

            switch (c)
            {
                case '"' or '\\':
                    quoted.Append('\\').Append(c);
                    break;
                case '\n':
                    quoted.Append("\\n");
                    break;
                case '\t':
                    quoted.Append("\\t");
                    break;
                case '\r':
                    quoted.Append("\\r");
                    break;
                case var _ when char.IsSurrogate(c):
                    quoted.Append("\\uFFFD");
                    break;
                case var _ when IsPrintable(c):
                    quoted.Append(c);
                    break;
                default:
                    quoted.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>
    /// YAML's printable characters (c-printable) less those some reader takes for something else: NEL (C1, folded by
    /// go-yaml), U+2028 and U+2029 (line breaks to YAML 1.1 readers such as PyYAML) and U+FEFF (a byte order mark).
    /// </summary>
    private static bool IsPrintable(char c) =>
        c is (>= ' ' and <= '~') or (>= '\u00A0' and <= '\uD7FF' and not '\u2028' and not '\u2029') or (>= '\uE000' and <= '\uFFFD' and not '\uFEFF');

    private static readonly HashSet<string> Reserved = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9 ._@/()-]*[A-Za-z0-9.)]$|^[A-Za-z]$")]
    private static partial Regex PlainSafe();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(ManifestJsonContext.Default.Options)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = ManifestJsonContext.Default,
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// <paramref name="resources"/> as the files of <paramref name="file"/>: as many documents in each, in order, as the
    /// loader reads of one file (<paramref name="limits"/>), then <c>agents.2.yaml</c>, <c>agents.3.yaml</c>, … (see
    /// <see cref="ContinuationOf"/>), so that a platform of more than 10,000 agents exports to manifests that
    /// <c>validate</c> and <c>plan</c> read. A document too large for any file still gets one of its own, for the
    /// loader to name.
    /// </summary>
    public static IReadOnlyList<(string File, string Text)> ToFiles(string file, IEnumerable<Resource> resources, ManifestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(limits);
        const string separator = "---\n";
        var files = new List<(string File, string Text)>();
        var text = new StringBuilder();
        var documents = 0;
        long bytes = 0;
        foreach (var resource in resources)
        {
            var yaml = ToYaml([resource]);
            var size = Encoding.UTF8.GetByteCount(yaml);
            if (documents > 0 && (documents == limits.MaxDocumentsPerFile || bytes + separator.Length + size > limits.MaxFileBytes))
            {
                files.Add((files.Count == 0 ? file : ContinuationOf(file, files.Count + 1), text.ToString()));
                text.Clear();
                documents = 0;
                bytes = 0;
            }

            if (documents > 0)
            {
                text.Append(separator);
                bytes += separator.Length;
            }

            text.Append(yaml);
            bytes += size;
            documents++;
        }

        if (documents > 0)
            files.Add((files.Count == 0 ? file : ContinuationOf(file, files.Count + 1), text.ToString()));
        return files;
    }

    /// <summary>
    /// <c>agents.yaml</c> → <c>agents.2.yaml</c>, the file that continues one too full for the loader: no resource name
    /// holds a dot, so no file named after one (import's group files) is named so.
    /// </summary>
    public static string ContinuationOf(string file, int part)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Path.Combine(Path.GetDirectoryName(file) ?? "", $"{Path.GetFileNameWithoutExtension(file)}.{part.ToString(System.Globalization.CultureInfo.InvariantCulture)}{Path.GetExtension(file)}");
    }

    /// <summary>File name of a kind's manifests in an export.</summary>
    public static string FileNameOf(string kind) =>
        (ResourceCatalog.Find(kind) ?? throw new ArgumentException($"unknown kind {kind}", nameof(kind))).Description.ExportFileName;
}
