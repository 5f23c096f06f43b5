using System.Globalization;
using System.Text;
using CsCheck;
using Reconciler.Core.Manifests;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>The block reader must give exactly what YamlDotNet gives (trees, positions, diagnostics) or leave the file to it.</summary>
public sealed class BlockYamlReaderTests
{
    private static readonly string[] Words =
    [
        "a", "name", "Agent", "true", "False", "null", "~", "123", "-1", "0x1F", "0o17", "1e3", ".inf", "-.Inf", ".nan", "<<", "é",
        "日本", "😀 x", "a b", "a  b", "x#y", "a;b.", "http://x/y?z=1", "x-y_z", "v1.2",
    ];

    private static readonly string[] RiskyWords =
    [
        "", "a # b", "a:b", "a: b", "a,b", "[a]", "{a}", "&a", "*a",
        "!t", "|", ">", "%", "@", "`", "-", "- a", "--", "---", "...", "?", "? a", ":", "'", "\"", "\\", "it's", "a\"b", "  ",
        "{{ .Values.x }}", "a\tb", "a\rb", "\u0085", "\u00a0", "\u2028", "\ufeff",
    ];

    private static readonly string[] Escapes =
    [
        "\\n", "\\t", "\\\\", "\\\"", "\\/", "\\0", "\\a", "\\b", "\\v", "\\f", "\\r", "\\e", "\\ ", "\\N", "\\_", "\\L", "\\P",
        "\\x41", "\\x0a", "\\u00e9", "\\u2028", "\\uD83D", "\\U0001F600", "\\U00110000", "\\q", "\\x4", "\\",
    ];

    private static readonly string[] Triggers =
    [
        "&a ", "*a", "!!str ", "!t ", "|\n  x\n", ">-\n  x\n", "{a: 1}", "{", "[", "]", "\t", "\r", "\r\n", "%YAML 1.2\n---\n", "? ", "?",
        "\n  continued", "\"", "'", "\\", "#", " #", ":", ": ", "- ", "-", "---", "\n---\n", "\n...\n", "...", "\n", "  ", "\ufeff", "\u0001",
        "\u2029", "\ud800", "<<: ", "@", "`", ",", "{{ .Values.x }}",
    ];

    private static readonly Gen<string> Word = Gen.Frequency(
        (40, Gen.OneOf(Words)), (1, Gen.OneOf(RiskyWords)), (1, Gen.String[Gen.Char["ab:#- '\"\\[]{},é"], 0, 6]));

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (5, Word),
        (2, Word.Select(w => "'" + w.Replace("'", "''", StringComparison.Ordinal) + "'")),
        (2, Gen.Select(Word, Gen.OneOf(Escapes).List[0, 3]).Select((w, e) => "\"" + w.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + string.Concat(e) + "\"")),
        (1, Word.List[0, 3].Select(items => "[" + string.Join(", ", items) + "]")),
        (1, Word.List[1, 3].Select(items => "[ " + string.Join(" ,", items) + " ]")),
        (1, Gen.Select(Word, Word).List[0, 3].Select(pairs => "{" + string.Join(", ", pairs.Select(p => p.Item1 + ": " + p.Item2)) + "}")),
        (1, Gen.Select(Word, Word).List[1, 2].Select(pairs => "[{" + string.Join("}, {", pairs.Select(p => p.Item1 + ": [" + p.Item2 + "]")) + "}]")));

    private static readonly Gen<string> Tail = Gen.OneOf("", "", "", " ", "   ", " # note", "  #x", "#x");

    private static readonly Gen<string> Key = Gen.Frequency((6, Gen.OneOf("apiVersion", "kind", "name", "spec", "a", "b", "é", "<<", "a b")), (1, Scalar));

    /// <summary>A block node written at <paramref name="indent"/>, as the lines after a <c>key:</c> or <c>-</c>.</summary>
    private static Gen<string> Block(int indent, int depth) => depth == 0
        ? Scalar.Select(Tail, (s, t) => new string(' ', indent) + s + t + "\n")
        : Gen.Frequency(
            (1, Scalar.Select(Tail, (s, t) => new string(' ', indent) + s + t + "\n")),
            (3, Entry(indent, depth).List[1, 4].Select(entries => string.Concat(entries))),
            (2, Item(indent, depth).List[1, 4].Select(items => string.Concat(items))));

    private static Gen<string> Entry(int indent, int depth) => Gen.Select(Key, Gen.Int[0, 6], Gen.Int[1, 3], Tail).SelectMany((key, how, step, tail) =>
    {
        var head = new string(' ', indent) + key + (how == 4 ? " :" : ":");
        return how switch
        {
            0 or 4 => Scalar.Select(Tail, (s, t) => head + " " + s + t + "\n"),
            1 => Gen.Const(head + tail + "\n"),
            2 => Block(indent + step, depth - 1).Select(b => head + tail + "\n" + b),
            3 => Item(indent, depth - 1).List[1, 3].Select(items => head + tail + "\n" + string.Concat(items)),
            5 => BlockScalar(indent + step).Select(b => head + " " + b),
            _ => Scalar.Select(s => head + "   " + s + "\n"),
        };
    });

    /// <summary>
    /// A block scalar's header and lines, its first line at <paramref name="indent"/>: after it, lines indented more (leading
    /// spaces are content), empty lines, lines of spaces only (some more than the indentation) and, rarely, a less indented first line.
    /// </summary>
    private static Gen<string> BlockScalar(int indent) =>
        Gen.Select(Gen.OneOf("|", ">"), Gen.OneOf("", "-", "+", "", "2", "-1", "+ # keep"), Tail, BlockScalarLine(indent).List[0, 5], Gen.Int[0, 20], Word)
            .Select((style, chomping, tail, lines, first, word) =>
                style + chomping + tail + "\n" + (first == 0 ? "" : new string(' ', first == 1 ? indent - 1 : indent) + word + "\n") + string.Concat(lines));

    private static readonly Gen<string> BlockText = Gen.Frequency((4, Word), (1, Gen.OneOf("# not a comment", "- x", "a: b", "|", "---", "...")));

    private static Gen<string> BlockScalarLine(int indent) => Gen.Select(Gen.Int[0, 4], Gen.Int[0, 3], BlockText).Select((how, extra, text) => how switch
    {
        0 => "\n",
        1 => new string(' ', indent + extra - 1) + "\n",
        _ => new string(' ', indent + (extra == 3 ? 1 : 0)) + text + "\n",
    });

    private static Gen<string> Item(int indent, int depth) => Gen.Select(Gen.Int[0, 4], Tail).SelectMany((how, tail) =>
    {
        var dash = new string(' ', indent) + "-";
        return how switch
        {
            0 => Scalar.Select(Tail, (s, t) => dash + " " + s + t + "\n"),
            1 => Gen.Const(dash + tail + "\n"),
            2 when depth > 0 => Block(indent + 2, depth - 1).Select(b => dash + tail + "\n" + b),
            3 when depth > 0 => Entry(indent + 2, depth - 1).List[1, 3].Select(entries => dash + " " + string.Concat(entries)[(indent + 2)..]),
            _ => Scalar.Select(s => dash + "  " + s + "\n"),
        };
    });

    private static readonly Gen<string> Filler = Gen.OneOf("", "", "\n", "# comment\n", "   \n", "  # indented comment\n");

    private static readonly Gen<string> Document = Gen.Select(Filler, Gen.Int[0, 4], Filler).SelectMany((before, how, after) => how switch
    {
        0 => Gen.Const(before + after),
        _ => Block(how == 4 ? 2 : 0, 3).Select(b => before + b + after),
    });

    /// <summary>Streams in the subset: documents with optional markers, comments, blank lines.</summary>
    private static readonly Gen<string> Stream = Gen.Select(Document.List[1, 4], Gen.Bool, Gen.Int[0, 3], Gen.Bool).Select((docs, lead, end, newline) =>
    {
        var text = new StringBuilder(lead ? "---\n" : "");
        for (var i = 0; i < docs.Count; i++)
        {
            if (i > 0)
                text.Append(end == 1 ? "...\n---\n" : end == 2 ? "--- # next\n" : "---\n");
            text.Append(docs[i]);
        }

        if (end == 3)
            text.Append("---\n");
        return newline || text.Length == 0 ? text.ToString() : text.ToString().TrimEnd('\n');
    });

    /// <summary>Streams near the subset: a trigger inserted, a character deleted or a line doubled somewhere.</summary>
    private static readonly Gen<string> NearStream = Gen.Select(Stream, Gen.Int[0, 2], Gen.OneOf(Triggers), Gen.Double[0, 1]).Select((text, how, trigger, where) =>
    {
        var at = (int)(where * text.Length);
        switch (how)
        {
            case 0:
                return text.Insert(at, trigger);
            case 1 when text.Length > 0:
                return text.Remove(Math.Min(at, text.Length - 1), 1);
            default:
                var lines = text.Split('\n').ToList();
                var line = (int)(where * (lines.Count - 1));
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
        }
    });

    [Fact]
    public void EveryStreamInOrNearTheSubset_ReadsExactlyAsYamlDotNetReadsIt() =>
        Gen.Frequency((1, Stream), (2, NearStream)).Sample(text => Dump(text, true).Should().Be(Dump(text, false), Show(text)), iter: 20_000);

    [Fact]
    public void TheBlockReaderTakesAFairShareOfTheGeneratedStreams()
    {
        var taken = 0;
        var total = 0;
        Stream.Sample(text =>
        {
            Interlocked.Increment(ref total);
            if (Takes(text))
                Interlocked.Increment(ref taken);
        }, iter: 2_000);

        // Words, escapes, keys and comments include ones outside the subset on purpose, and one in a stream sends all of it to
        // YamlDotNet; about a third of the streams have none, and those are the ones the equality property checks the block reader on.
        taken.Should().BeGreaterThan(total / 5);
    }

    [Fact]
    public void BlockScalars_ReadExactlyAsYamlDotNetReadsThem_AndMostAreTakenByTheBlockReader()
    {
        var taken = 0;
        var total = 0;
        var streams = Gen.Select(Gen.Bool, Gen.Int[1, 3], Gen.OneOf("", "next: 1\n", "# a comment\nnext: 1\n", " # a comment\n", "---\nnext: 1\n", "...\n"))
            .SelectMany((inSequence, step, after) => BlockScalar((inSequence ? 2 : 0) + step)
                .Select(block => (inSequence ? "- k: " : "k: ") + block + (inSequence && after.StartsWith('n') ? "  " : "") + after));
        streams.Sample(text =>
        {
            Interlocked.Increment(ref total);
            if (Takes(text))
                Interlocked.Increment(ref taken);
            Dump(text, true).Should().Be(Dump(text, false), Show(text));
        }, iter: 5_000);

        // Indentation indicators, blank first lines and empty block scalars are generated on purpose and left to YamlDotNet.
        taken.Should().BeGreaterThan(total / 3);
    }

    public static TheoryData<string, string> InSubset => new()
    {
        { "a manifest", "apiVersion: v1\nkind: Agent\nmetadata:\n  name: a # the name\nspec:\n  languages: [en, de]\n  refs:\n    - name: x\n      kind: Role\n" },
        { "empty values", "a:\nb:   # nothing\nc:\n  -\n  - \n" },
        { "a sequence at its key's indent", "a:\n- x\n- y: 1\n  z: 2\nb: 1\n" },
        { "nested compact sequences", "- - a\n  - b\n- c\n" },
        { "quoted keys and escapes", "\"a b\": 'it''s'\n'c': \"\\u00e9\\x41\\n\\\"\"\n" },
        { "documents and markers", "---\na: 1\n...\n---\n# c\n---\nb\n---\n" },
        { "an indented root", "# c\n\n  k: v\n  j: [ ]\n" },
        { "unicode", "name: é😀 x\nlist: [😀, b]\n" },
        { "flow mappings", "a: {name: x, b: \"08:00\"}\nb: [{days: [Mon, Tue], c: 'd'}, {}]\n" },
        { "no final newline", "a: b" },
        { "a duplicate key", "a: 1\nb: 2\na: 3\n" },
        { "plain merge key with a block mapping", "<<:\n  a: 1\nb: 2\n" },
        { "spaces before the colon", "key   : value   \n" },
        { "a literal block scalar", "a: |\n  x\n   y\n\n  z\nb: 1\n" },
        { "a folded block scalar", "a: >\n  x\n  y\n\n  z\n   indented\n  w\nb: 1\n" },
        { "strip and keep chomping", "a: |-\n  x\n\nb: >+\n  y\n\n\nc: |+\n  z" },
        { "a block scalar's comment, deeper lines and spaces-only lines", "k:\n  a: | # the key\n    -----BEGIN-----\n      # kept\n      \n   \n    -----END-----\n  # a comment\n  b: 2\n" },
        { "a block scalar in a sequence's mapping, then a document", "- a: >-\n    x\n    y\n  b: 1\n---\nc: |\n  z\n" },
        { "a block scalar at the end without a line break", "a: >\n  x\n  y" },
    };

    [Theory]
    [MemberData(nameof(InSubset))]
    public void TheBlockReaderTakes_(string why, string text)
    {
        Takes(text).Should().BeTrue(why);
        Dump(text, true).Should().Be(Dump(text, false), why);
    }

    public static TheoryData<string, string> OutsideTheSubset => new()
    {
        { "an anchor", "a: &x 1\nb: 2\n" },
        { "an alias", "a: 1\nb: *a\n" },
        { "a tag", "a: !!str 1\n" },
        { "a block scalar's indentation indicator", "a: |2\n   x\n" },
        { "a block scalar's blank first line", "a: |\n\n  x\n" },
        { "an empty block scalar", "a: |\nb: 1\n" },
        { "a block scalar as a sequence item", "- |\n  x\n" },
        { "a block scalar at the root", "|\n  x\n" },
        { "a comment glued to a block scalar's indicator", "a: |#c\n  x\n" },
        { "a block scalar's header at the end", "a: >" },
        { "an asterisk after a space in a plain key", "a *b: c\n" },
        { "a flow mapping key without a value", "a: {b}\n" },
        { "a flow mapping with an empty value", "a: {b: }\n" },
        { "a template action", "a: {{ .Values.x }}\n" },
        { "a flow pair", "a: [b: c]\n" },
        { "a multi-line flow sequence", "a: [b,\n  c]\n" },
        { "a trailing comma", "a: [b, ]\n" },
        { "a tab in indentation", "a:\n\tb: 1\n" },
        { "a tab in a value", "a: b\tc\n" },
        { "a carriage return", "a: 1\r\nb: 2\r\n" },
        { "a multi-line plain scalar", "a: b\n  c\n" },
        { "a multi-line double-quoted scalar", "a: \"b\n  c\"\n" },
        { "a multi-line single-quoted scalar", "a: 'b\n  c'\n" },
        { "an escaped line break", "a: \"b\\\n  c\"\n" },
        { "a directive", "%YAML 1.2\n---\na: 1\n" },
        { "a complex key", "? a\n: b\n" },
        { "content after the document marker", "--- a\n" },
        { "a bare document after the end marker", "a: 1\n...\nb: 2\n" },
        { "a mapping value on the key's line", "a: b: c\n" },
        { "a comment glued to a quoted scalar", "a: 'b'#c\n" },
        { "a byte order mark", "\ufeffa: 1\n" },
        { "a key longer than YAML allows", new string('k', 1_100) + ": v\n" },
        { "an unknown escape", "a: \"\\q\"\n" },
        { "a surrogate escape", "a: \"\\uD83D\"\n" },
        { "a bad indentation", "a:\n    b: 1\n  c: 2\n" },
        { "nesting at the depth limit", string.Concat(Enumerable.Range(0, 70).Select(i => new string(' ', i) + "a:\n")) },
        { "an anchor after documents already built, one with a duplicate key", "a: 1\na: 2\n---\nb: [c, {d: e}]\n---\nf: &x 1\n" },
        { "a tag deep inside an open mapping", "a:\n  b:\n    c: 1\n    d: !!str 2\n" },
    };

    [Theory]
    [MemberData(nameof(OutsideTheSubset))]
    public void TheBlockReaderLeavesToYamlDotNet_(string why, string text)
    {
        var diagnostics = new List<Diagnostic>();
        var builder = new YamlTreeBuilder("f.yaml", ManifestLimits.Default, diagnostics);

        BlockYamlReader.TryRead(text, ManifestLimits.Default, builder).Should().BeFalse(why);
        builder.Documents.Count.Should().Be(0);
        diagnostics.Should().BeEmpty();
        Dump(text, true).Should().Be(Dump(text, false), why);
    }

    public static TheoryData<string, string, ManifestLimits> Limits => new()
    {
        { DiagnosticCodes.TooManyDocuments, string.Concat(Enumerable.Repeat("---\na: 1\n", 20)), new ManifestLimits { MaxDocumentsPerFile = 10 } },
        { DiagnosticCodes.TooManyDocuments, string.Concat(Enumerable.Repeat("---\na: 1\n", 20)) + "---\nb: &x 1\n", new ManifestLimits { MaxDocumentsPerFile = 10 } },
        { DiagnosticCodes.AliasExpansion, string.Concat(Enumerable.Range(0, 200).Select(i => $"k{i}: [a, b, c]\n")), new ManifestLimits { MaxExpandedNodes = 500 } },
        { DiagnosticCodes.TooDeep, string.Concat(Enumerable.Range(0, 9).Select(i => new string(' ', i * 2) + "- a:\n")), new ManifestLimits { MaxDepth = 8 } },
        { DiagnosticCodes.DuplicateKey, "a: 1\na: 2\n", ManifestLimits.Default },
        { DiagnosticCodes.MergeKey, "<<: 1\n", ManifestLimits.Default },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void LimitsAndTreeErrorsHoldOnTheBlockReaderAsOnYamlDotNet(string code, string text, ManifestLimits limits)
    {
        var diagnostics = new List<Diagnostic>();
        YamlTreeReader.Read("f.yaml", text, limits, diagnostics, useBlockReader: true);

        diagnostics.Select(d => d.Code).Should().Contain(code);
        Dump(text, true, limits).Should().Be(Dump(text, false, limits));
    }

    [Fact]
    public void TheExampleManifests_ReadAsYamlDotNetReadsThem_AllByTheBlockReader()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "examples"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        files.Should().HaveCountGreaterThan(5);
        foreach (var file in files)
            Dump(File.ReadAllText(file), true).Should().Be(Dump(File.ReadAllText(file), false), file);
        files.Where(f => !Takes(File.ReadAllText(f))).Select(Path.GetFileName).Should().BeEmpty("no example needs YamlDotNet's parser");
    }

    [Fact]
    public void AnEscapedLoneSurrogate_IsASyntaxErrorNotACrash()
    {
        var diagnostics = new List<Diagnostic>();

        // YamlDotNet throws ArgumentOutOfRangeException combining \uD83D with the character after it.
        YamlTreeReader.Read("f.yaml", "a: \"\\uD83D\\U0001F600\"\n", ManifestLimits.Default, diagnostics);

        diagnostics.Should().ContainSingle().Which.Code.Should().Be(DiagnosticCodes.YamlSyntax);
    }

    private static bool Takes(string text) =>
        BlockYamlReader.TryRead(text, ManifestLimits.Default, new YamlTreeBuilder("f.yaml", ManifestLimits.Default, []));

    private static string Show(string text) => "for " + string.Concat(text.Select(c => c is '\n' or (>= ' ' and < '\u007f') ? c.ToString() : $"\\u{(int)c:x4}"));

    private static string Dump(string text, bool useBlockReader, ManifestLimits? limits = null)
    {
        var diagnostics = new List<Diagnostic>();
        var documents = YamlTreeReader.Read("f.yaml", text, limits ?? ManifestLimits.Default, diagnostics, useBlockReader);
        var dump = new StringBuilder();
        foreach (var document in documents)
        {
            dump.Append(CultureInfo.InvariantCulture, $"document {document.Start}\n");
            if (document.Root is { } root)
                Append(dump, root, 1);
        }

        foreach (var diagnostic in diagnostics)
            dump.Append(CultureInfo.InvariantCulture, $"{diagnostic.Severity} {diagnostic.Code} {diagnostic}\n");
        return dump.ToString();
    }

    private static void Append(StringBuilder dump, YamlNode node, int depth)
    {
        dump.Append(' ', depth * 2).Append(CultureInfo.InvariantCulture, $"{node.Start.Line}:{node.Start.Column} ");
        switch (node)
        {
            case YamlScalarNode scalar:
                dump.Append(CultureInfo.InvariantCulture, $"{scalar.Style} {scalar.Tag} [{Escape(scalar.Value)}]\n");
                break;
            case YamlSequenceNode sequence:
                dump.Append("sequence\n");
                foreach (var item in sequence.Items)
                    Append(dump, item, depth + 1);
                break;
            case YamlMappingNode mapping:
                dump.Append("mapping\n");
                foreach (var entry in mapping.Entries)
                {
                    Append(dump, entry.Key, depth + 1);
                    Append(dump, entry.Value, depth + 2);
                }

                break;
        }
    }

    [Fact]
    public void TheRefusedCharacters_AreControlsButNewline_C1Controls_LineSeparators_TheBomAndTheLastTwoNonCharacters()
    {
        var refused = BlockYamlReader.RefusedCharacters();

        for (var c = char.MinValue; ; c++)
        {
            var expected = (c < '\x20' && c != '\n') || c is >= '\x7F' and <= '\x9F' or '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF';
            refused.Contains(c).Should().Be(expected, $"U+{(int)c:X4}");
            if (c == char.MaxValue)
                break;
        }

        refused.ToCharArray().Should().OnlyHaveUniqueItems();
    }

    private static string Escape(string value) => string.Concat(value.Select(c => c is >= ' ' and < '\u007f' ? c.ToString() : $"\\u{(int)c:x4}"));
}
