using System.Buffers;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract.Rules;
using YamlDotNet.Core;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Checks a document's node tree against the model's shapes and, in the same walk, builds the
/// typed values the shapes describe (no intermediate JSON, no serializer metadata to warm up).
/// The path of the node being checked is kept in one buffer and becomes a string only for a diagnostic; later
/// (semantic) diagnostics find their positions in the tree through <see cref="DocumentPositions"/>.
/// </summary>
internal sealed partial class ShapeChecker(string file, List<Diagnostic> diagnostics)
{
    // One Regex per pattern and engine for the process: the pattern is wrapped once, and a NonBacktracking Regex is costly to build.
    private static readonly ConcurrentDictionary<string, Regex> ShortMatchers = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Regex> LongMatchers = new(StringComparer.Ordinal);

    private const int ShortText = 256;

    // A boolean field's value boxed once, not per field.
    private static readonly object True = true;
    private static readonly object False = false;

    private static readonly string[] SecretWords = ["secret", "token", "password", "apikey", "privatekey"];

    // The path of the node being checked, e.g. spec.skills[2].level: segments are appended on the way down and cut on the way back.
    private char[] _path = new char[64];
    private int _pathLength;

    /// <summary>True when anything in the document was wrong; such a document yields no typed resource.</summary>
    public bool Failed { get; private set; }

    /// <summary>Readies the checker for the next document of its file (one checker, and one path buffer, per file).</summary>
    public void StartDocument()
    {
        Failed = false;
        _pathLength = 0;
    }

    /// <summary>Checks a mapping against an object shape; <paramref name="ignored"/> are keys the caller handles itself.</summary>
    public object CheckObject(YamlMappingNode mapping, ObjectShape shape, IReadOnlySet<string>? ignored = null)
    {
        // The checked value of each field by its index, null where none was written (or it failed); the object is built from them at the end.
        // Cleared on rent too: the shared pool may hand back an array another caller returned without clearing it.
        var values = ArrayPool<object?>.Shared.Rent(shape.Fields.Count);
        Array.Clear(values, 0, shape.Fields.Count);
        var entries = mapping.Entries;

        // Manifest mappings are small, and scanning them beats a set per mapping; a large one gets the set.
        var seen = entries.Length > 16 ? new HashSet<string>(StringComparer.Ordinal) : null;
        for (var i = 0; i < entries.Length; i++)
        {
            var (key, value) = entries[i];
            if (seen is null ? Index(entries, key.Value) < i : !seen.Add(key.Value))
            {
                // The reader reported the duplicate key already; we only refuse to pick a winner.
                Failed = true;
                continue;
            }

            if (ignored?.Contains(key.Value) == true)
                continue;
            var parent = Enter(key.Value);
            if (!shape.IndexOf.TryGetValue(key.Value, out var index))
            {
                UnknownField(shape, key);
            }
            else
            {
                values[index] = CheckField(shape.Fields[index], value);
            }

            Leave(parent);
        }

        for (var f = 0; f < shape.Fields.Count; f++)
        {
            var field = shape.Fields[f];
            if (!field.Required || values[f] is not null)
                continue;
            if ((seen?.Contains(field.Name) ?? Index(entries, field.Name) >= 0) && !IsNull(mapping, field.Name))
                continue; // present but invalid: already reported
            var parent = Enter(field.Name);
            Error(DiagnosticCodes.MissingRequired, mapping.Start, $"required field \"{field.Name}\" is missing");
            Leave(parent);
        }

        var built = shape.Build(values);
        ArrayPool<object?>.Shared.Return(values, clearArray: true);
        return built;
    }

    /// <summary>Where a key first occurs in a mapping, or -1.</summary>
    public static int Index(YamlEntry[] entries, string key)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Key.Value == key)
                return i;
        }

        return -1;
    }

    private static bool IsNull(YamlMappingNode mapping, string key) =>
        Index(mapping.Entries, key) is >= 0 and var index && mapping.Entries[index].Value is YamlScalarNode s && Resolve(s) == Scalar.Null;

    private object? CheckField(ComparisonShape field, YamlNode value)
    {
        if (value is YamlScalarNode scalar && Resolve(scalar) == Scalar.Null)
            return null;
        if (field.IsSecretReference && value is YamlScalarNode)
        {
            Error(DiagnosticCodes.InlineSecret, value.Start,
                $"secrets are referenced, never inline: use {field.Name} {{name, key}} pointing at a Secret");
            return null;
        }

        var converted = Check(value, field.Shape);
        if (converted is null)
            return null;
        if (field.Required && converted is string { Length: 0 })
        {
            Error(DiagnosticCodes.MissingRequired, value.Start, $"required field \"{field.Name}\" must not be empty");
            return null;
        }

        var constraints = field.Constraints;
        for (var i = 0; i < constraints.Count; i++)
            CheckConstraint(constraints[i], value, converted);
        return converted;
    }

    private object? Check(YamlNode node, Shape shape)
    {
        if (node is YamlScalarNode template && UnrenderedTemplate.Contains(template.Value))
        {
            Error(DiagnosticCodes.UnrenderedTemplate, node.Start, UnrenderedTemplate.Message(template.Value));
            return null;
        }

        switch (shape)
        {
            case ObjectShape objectShape when node is YamlMappingNode mapping:
                return CheckObject(mapping, objectShape);
            case MapShape mapShape when node is YamlMappingNode mapping:
                var map = mapShape.Create();
                foreach (var (key, value) in mapping.Entries)
                {
                    if (map.Contains(key.Value))
                    {
                        Failed = true;
                        continue;
                    }

                    if (KeyReadOtherwise(key) is { } problem)
                    {
                        Error(DiagnosticCodes.WrongType, key.Start, problem);
                        continue;
                    }

                    if (value is YamlScalarNode s && Resolve(s) == Scalar.Null)
                        continue;
                    var parent = Enter(key.Value);
                    map[key.Value] = Check(value, mapShape.Value) ?? mapShape.Failed;
                    Leave(parent);
                }

                return map;
            case ListShape listShape when node is YamlSequenceNode sequence:
                var array = listShape.Create(sequence.Items.Length);
                for (var i = 0; i < sequence.Items.Length; i++)
                {
                    var item = sequence.Items[i];
                    var parent = EnterItem(i);
                    if (item is YamlScalarNode s && Resolve(s) == Scalar.Null)
                        Error(DiagnosticCodes.WrongType, item.Start, $"expected {listShape.Item.Describe}, got null");
                    else
                        array.Add(Check(item, listShape.Item) ?? listShape.Failed);
                    Leave(parent);
                }

                return listShape.Complete(array);
            case EnumShape enumShape when node is YamlScalarNode scalar:
                return CheckEnum(enumShape, scalar);
            case ScalarShape scalarShape when node is YamlScalarNode scalar:
                return CheckScalar(scalarShape, scalar);
            case FreeFormShape when node is YamlMappingNode mapping:
                return FreeForm(mapping);
            default:
                var hint = shape is ObjectShape { Type.Name: "ResourceRef" } && node is YamlScalarNode refName
                    ? $"; write {{name: {Excerpt.Of(refName.Value)}}}"
                    : "";
                Error(DiagnosticCodes.WrongType, node.Start, $"expected {Expected(shape)}, got {Describe(node)}{hint}");
                return null;
        }
    }

    /// <summary>
    /// Why kubectl would send a key of a free-form map as other text than the CLI reads, else null: a key is sent as
    /// text, so go-yaml's <c>no</c> becomes "false" and <c>010</c> "8", while <c>42</c> stays "42"; a null key cannot be sent.
    /// </summary>
    private static string? KeyReadOtherwise(YamlScalarNode key)
    {
        if (key.Tag == ScalarTag.Binary)
            return Binary(key);
        var resolved = Resolve(key);
        if (resolved == Scalar.Null)
            return $"kubectl cannot send the key {Excerpt.Of(key.Value)}, which YAML reads as null; quote it (\"{Excerpt.Of(key.Value)}\") if you mean the text";
        var reading = resolved switch
        {
            Scalar.Boolean when key.Value is not ("true" or "false") => GoYamlScalars.Boolean(key.Value) is false ? "the boolean false" : "the boolean true",
            Scalar.Integer when key.Value == "-0" || !CanonicalInteger().IsMatch(key.Value) || !long.TryParse(key.Value, CultureInfo.InvariantCulture, out _) => "a number",
            Scalar.Float when !GoYamlScalars.OverflowsToText(key.Value) && !GoYamlScalars.FloatKeyStaysText(key.Value) => "a number",
            Scalar.String when key.IsPlain => GoYamlScalars.NonTextReading(key.Value),
            _ => null,
        };
        return reading is null ? null : ReadOtherwise("the key " + Excerpt.Of(key.Value), reading, key);
    }

    /// <summary>That kubectl reads a value (or key) as another type than text, and how to keep the text.</summary>
    private static string ReadOtherwise(string what, string reading, YamlScalarNode node) =>
        $"kubectl and kustomize read {what} as {reading} (YAML 1.1), not as text; "
        + (node.IsPlain ? $"quote it (\"{Excerpt.Of(node.Value)}\") if you mean the text" : "remove its tag if you mean the text");

    private static string Binary(YamlScalarNode node) =>
        $"{Excerpt.Of(node.Value)} is tagged !!binary, which kubectl and kustomize decode from base64 before sending; write the value itself, without the tag";

    private object? CheckEnum(EnumShape shape, YamlScalarNode scalar)
    {
        if (shape.Values.TryGetValue(scalar.Value, out var value))
            return value;
        var caseMatch = shape.Names.FirstOrDefault(n => string.Equals(n, scalar.Value, StringComparison.OrdinalIgnoreCase));
        var hint = caseMatch is null ? "" : $" (did you mean \"{caseMatch}\"? values are case-sensitive)";
        Error(DiagnosticCodes.EnumValue, scalar.Start, $"{Quote(scalar.Value)} is not one of {string.Join(", ", shape.Names)}{hint}");
        return null;
    }

    private object? CheckScalar(ScalarShape shape, YamlScalarNode scalar)
    {
        if (scalar.Tag == ScalarTag.Binary)
        {
            Error(DiagnosticCodes.WrongType, scalar.Start, Binary(scalar));
            return null;
        }

        var resolved = Resolve(scalar);
        switch (shape.Kind)
        {
            case ScalarKind.String when resolved == Scalar.String:
                if (scalar.IsPlain && GoYamlScalars.NonTextReading(scalar.Value) is { } reading)
                {
                    Error(DiagnosticCodes.WrongType, scalar.Start, ReadOtherwise(Excerpt.Of(scalar.Value), reading, scalar));
                    return null;
                }

                return scalar.Value;
            case ScalarKind.String when resolved == Scalar.Float && scalar.IsPlain && GoYamlScalars.OverflowsToText(scalar.Value):
                return scalar.Value;
            case ScalarKind.String:
                Error(DiagnosticCodes.WrongType, scalar.Start,
                    $"expected a string, got {Describe(scalar)} {Excerpt.Of(scalar.Value)}; quote it (\"{Excerpt.Of(scalar.Value)}\") if you mean the text");
                return null;
            // What kubectl sends for the scalar, so that a file means one number to the CLI and in the cluster: go-yaml's
            // integers in any notation (0x1F, 0o17, 1_000, 010 as the octal 8) and whole floats (5.0, 1e1), which the API
            // server takes for an integer.
            case ScalarKind.Integer when (scalar.IsPlain || resolved is Scalar.Integer or Scalar.Float) && GoYamlScalars.WholeNumber(scalar.Value) is { } whole:
                if (whole < shape.Min || whole > shape.Max)
                {
                    Error(DiagnosticCodes.OutOfRange, scalar.Start, $"{Excerpt.Of(scalar.Value)} is not a supported integer (between {shape.Min} and {shape.Max})");
                    return null;
                }

                if (DecimalReadingOfOctal(scalar.Value, whole) is { } asDecimal)
                {
                    Warning(DiagnosticCodes.OctalInteger, scalar.Start,
                        $"{Excerpt.Of(scalar.Value)} has a leading zero, so kubectl and kustomize read it as the octal {whole}, and so does Reconciler; write {whole}, or {asDecimal} without the zero, to say which you mean");
                }

                return shape.IsInt32 ? (object)(int)whole : (long)whole;
            case ScalarKind.Boolean when ParseBoolean(scalar) is { } flag:
                return flag;
            case ScalarKind.DateTime when resolved == Scalar.String
                && DateTimeOffset.TryParse(scalar.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant):
                return instant;
            default:
                Error(DiagnosticCodes.WrongType, scalar.Start, $"expected {shape.Describe}, got {Describe(scalar)} {Quote(scalar.Value)}");
                return null;
        }
    }

    /// <summary>
    /// The number a decimal reading of <paramref name="value"/> gives where go-yaml, which kubectl, kustomize, Argo CD and
    /// Flux read manifests with, reads its leading zero as octal and so gets <paramref name="whole"/> instead (<c>010</c>
    /// is 8, not 10); null when there is no such difference.
    /// </summary>
    private static BigInteger? DecimalReadingOfOctal(string value, BigInteger whole)
    {
        var digits = value.Replace("_", "", StringComparison.Ordinal).TrimStart('+', '-');
        if (digits.Length < 2 || digits[0] != '0' || !digits.All(char.IsAsciiDigit))
            return null;
        var asDecimal = BigInteger.Parse(digits, CultureInfo.InvariantCulture) * (value[0] == '-' ? -1 : 1);
        return asDecimal == whole ? null : asDecimal;
    }

    /// <summary>YAML 1.1 booleans (yes/no/on/off) are accepted where a boolean is expected, spelled as go-yaml reads them; elsewhere they are refused.</summary>
    private static object? ParseBoolean(YamlScalarNode scalar)
    {
        if (!scalar.IsPlain && scalar.Tag is not (ScalarTag.Boolean or ScalarTag.ShorthandBoolean))
            return null;
        return GoYamlScalars.Boolean(scalar.Value) switch
        {
            true => True,
            false => False,
            null => null,
        };
    }

    private void CheckConstraint(ValidationAttribute constraint, YamlNode node, object value)
    {
        var text = value as string;
        switch (constraint)
        {
            case RangeAttribute range when value is int or long:
                var n = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                var min = Convert.ToInt64(range.Minimum, CultureInfo.InvariantCulture);
                var max = Convert.ToInt64(range.Maximum, CultureInfo.InvariantCulture);
                if (n < min || n > max)
                    Error(DiagnosticCodes.OutOfRange, node.Start, $"{n} is out of range; must be between {min} and {max}");
                break;
            case MaxLengthAttribute maxLength when LengthOf(value) is { } length && length > maxLength.Length:
                Error(DiagnosticCodes.Length, node.Start, $"is {length} {Unit(value)} long; at most {maxLength.Length} allowed");
                break;
            case MinLengthAttribute minLength when LengthOf(value) is { } length && length < minLength.Length:
                Error(DiagnosticCodes.Length, node.Start, value is IList
                    ? $"needs at least {minLength.Length} item(s)"
                    : $"needs at least {minLength.Length} character(s)");
                break;
            case RegularExpressionAttribute regex when text is not null && !FullMatch(text, regex.Pattern):
                Error(DiagnosticCodes.Pattern, node.Start, $"{Quote(text)} does not match the pattern {regex.Pattern}");
                break;
            case EmailAddressAttribute when text is not null && !FullMatch(text, Patterns.Email):
                Error(DiagnosticCodes.Email, node.Start, $"{Quote(text)} is not a valid e-mail address");
                break;
            case MinimumDurationAttribute duration when text is not null && duration.Problem(text) is { } problem:
                Error(DiagnosticCodes.OutOfRange, node.Start, problem);
                break;
            case UrlAttribute when text is not null && !IsHttpUrl(text):
                Error(DiagnosticCodes.Url, node.Start, $"{Quote(text)} is not an absolute http(s) URL");
                break;
        }
    }

    // Linear-time matching for long text instead of a wall-clock timeout: a timeout fired on a busy machine (a thread
    // descheduled for 200 ms) and reported valid values as not matching. Building a NonBacktracking Regex costs more than
    // a whole small validate, though, and the model's patterns (RE2's syntax, no nested ambiguous repeats) backtrack at
    // most polynomially, so text up to ShortText characters, nearly every value, goes to the interpreter.
    // \z, not $: .NET's $ also matches before a final newline, which would let "sales\n" pass as a name.
    // The two patterns every agent meets (each resource's name, each agent's e-mail), with values that never repeat, are
    // matched by generated code: the interpreter spent several times as long on them.
    internal static bool FullMatch(string text, string pattern) => text.Length <= ShortText
        ? (Generated.GetValueOrDefault(pattern) ?? ShortMatchers.GetOrAdd(pattern, Interpreted)).IsMatch(text)
        : LongMatchers.GetOrAdd(pattern, static p => new Regex(Whole(p), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)).IsMatch(text);

    /// <summary>The interpreted matcher of a pattern, as <see cref="FullMatch"/> builds it for a pattern with no generated one.</summary>
    internal static Regex Interpreted(string pattern) => new(Whole(pattern), RegexOptions.CultureInvariant);

    private static string Whole(string pattern) => $"^(?:{pattern})\\z";

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;

    private static int? LengthOf(object value) => value switch
    {
        string s => s.Length,
        IDictionary => null,
        ICollection items => items.Count,
        _ => null,
    };

    private static string Unit(object value) => value is IList ? "items" : "characters";

    private void UnknownField(ObjectShape shape, YamlScalarNode key)
    {
        var secretWord = SecretWords.Any(w => key.Value.Contains(w, StringComparison.OrdinalIgnoreCase));
        var secretField = shape.Fields.FirstOrDefault(f => f.IsSecretReference
            && (f.Name.StartsWith(key.Value, StringComparison.OrdinalIgnoreCase) || secretWord));
        if (secretField is not null || secretWord)
        {
            var use = secretField is null ? "a secret reference {name, key}" : $"{secretField.Name} {{name, key}}";
            Error(DiagnosticCodes.InlineSecret, key.Start, $"secrets are referenced, never inline: remove {Quote(key.Value)} and use {use}");
            return;
        }

        var known = string.Join(", ", shape.Fields.Select(f => f.Name));
        Error(DiagnosticCodes.UnknownField, key.Start,
            $"unknown field {Quote(key.Value)}{Suggestions.DidYouMean(key.Value, shape.Fields.Select(f => f.Name))} (known fields: {known})");
    }

    public void Error(string code, TextPosition at, string path, string message)
    {
        Failed = true;
        diagnostics.Add(Diagnostic.Error(code, at.In(file), path, message));
    }

    /// <summary>An error about the node being checked, at its path.</summary>
    private void Error(string code, TextPosition at, string message) => Error(code, at, new string(_path, 0, _pathLength), message);

    /// <summary>A warning about the node being checked, at its path: the manifest is read, and the person told.</summary>
    private void Warning(string code, TextPosition at, string message) =>
        diagnostics.Add(Diagnostic.Warning(code, at.In(file), new string(_path, 0, _pathLength), message));

    /// <summary>Appends a mapping key to the path (<c>parent.key</c>, or <c>key</c> at the top); returns the length to go back to.</summary>
    private int Enter(string key)
    {
        // The path is shown in diagnostics only, and a key repeated by an alias must not put a megabyte in each of them.
        if (key.Length > Excerpt.MaxLength)
            key = Excerpt.Of(key);
        var parent = _pathLength;
        Reserve(key.Length + 1);
        if (parent > 0)
            _path[_pathLength++] = '.';
        key.CopyTo(0, _path, _pathLength, key.Length);
        _pathLength += key.Length;
        return parent;
    }

    /// <summary>Appends a list index (<c>[i]</c>) to the path; returns the length to go back to.</summary>
    private int EnterItem(int index)
    {
        var parent = _pathLength;
        Reserve(12);
        _path[_pathLength++] = '[';
        index.TryFormat(_path.AsSpan(_pathLength), out var written, default, CultureInfo.InvariantCulture);
        _pathLength += written;
        _path[_pathLength++] = ']';
        return parent;
    }

    private void Leave(int parent) => _pathLength = parent;

    private void Reserve(int more)
    {
        if (_pathLength + more > _path.Length)
            Array.Resize(ref _path, Math.Max(_path.Length * 2, _pathLength + more));
    }

    internal enum Scalar
    {
        Null,
        Boolean,
        Integer,
        Float,
        String,
    }

    /// <summary>Resolves a scalar by the YAML 1.2 core schema, the one Kubernetes tooling converges on.</summary>
    internal static Scalar Resolve(YamlScalarNode scalar)
    {
        if (scalar.Tag != ScalarTag.None)
        {
            return scalar.Tag switch
            {
                ScalarTag.Null => Scalar.Null,
                ScalarTag.Boolean => Scalar.Boolean,
                ScalarTag.Integer => Scalar.Integer,
                ScalarTag.Float => Scalar.Float,
                _ => Scalar.String,
            };
        }

        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            return Scalar.String;
        var value = scalar.Value;
        if (value is "" or "~" or "null" or "Null" or "NULL")
            return Scalar.Null;
        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            return Scalar.Boolean;
        if (value[0] is not ('-' or '+' or '.' or (>= '0' and <= '9')))
            return Scalar.String; // what every number starts with; most values are names and skip both patterns
        if (IntegerPattern().IsMatch(value))
            return Scalar.Integer;
        if (FloatPattern().IsMatch(value))
            return Scalar.Float;
        return Scalar.String;
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => Resolve(s) switch
        {
            Scalar.Null => "null",
            Scalar.Boolean => "a boolean",
            Scalar.Integer => "an integer",
            // A plain number too large for a float is text to go-yaml, and kubectl sends it as a string.
            Scalar.Float when !(s.IsPlain && GoYamlScalars.OverflowsToText(s.Value)) => "a number",
            _ => "a string",
        },
        _ => "a node",
    };

    private static string Expected(Shape shape) => shape is ObjectShape { Type.Name: var name }
        ? $"a mapping ({name})"
        : shape.Describe;

    public static string Quote(string value) => Excerpt.Quoted(value);

    /// <summary>Generated matchers of <see cref="Whole"/> patterns, by the model's pattern they wrap.</summary>
    internal static FrozenDictionary<string, Regex> Generated { get; } = new Dictionary<string, Regex>(StringComparer.Ordinal)
    {
        [Patterns.DnsSubdomain] = WholeDnsSubdomain(),
        [Patterns.Email] = WholeEmail(),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    [GeneratedRegex("^(?:" + Patterns.DnsSubdomain + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex WholeDnsSubdomain();

    [GeneratedRegex("^(?:" + Patterns.Email + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex WholeEmail();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex CanonicalInteger();

    [GeneratedRegex("^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
