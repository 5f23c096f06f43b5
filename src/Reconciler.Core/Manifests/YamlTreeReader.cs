using System.Buffers;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Reads a file's YAML into <see cref="YamlNode"/> trees: files in the block subset manifests use go through
/// <see cref="BlockYamlReader"/>, everything else through YamlDotNet's event parser; both feed <see cref="YamlTreeBuilder"/>.
/// Errors end the file but keep earlier documents.
/// </summary>
internal static class YamlTreeReader
{
    public static IReadOnlyList<YamlDocumentNode> Read(string file, string text, ManifestLimits limits, List<Diagnostic> diagnostics)
        => Read(file, text, limits, diagnostics, useBlockReader: true);

    /// <summary>With <paramref name="useBlockReader"/> false every file goes through YamlDotNet, to compare the two readers.</summary>
    internal static IReadOnlyList<YamlDocumentNode> Read(string file, string text, ManifestLimits limits, List<Diagnostic> diagnostics, bool useBlockReader)
    {
        var documents = new YamlDocumentList();
        Read(file, text, limits, diagnostics, documents, useBlockReader);
        return documents;
    }

    /// <summary>Reads the file's documents into <paramref name="documents"/>, each handed over as soon as it is complete.</summary>
    public static void Read(string file, string text, ManifestLimits limits, List<Diagnostic> diagnostics, IYamlDocuments documents, bool useBlockReader = true)
    {
        var builder = new YamlTreeBuilder(file, limits, diagnostics, documents);
        text = DocumentSeparators.WithoutPartByteOrderMarks(text);
        // kubectl reads a file that starts with { as JSON (its escapes included), a stream of objects one after another
        // included (what jq -c writes), and anything else with go-yaml. Its JSON decoder refuses what YAML's flow style
        // would take (plain keys, 0x10, +7, comments, a --- line), so the CLI does too, and takes what YAML would refuse
        // (tabs that indent, DEL and the C1 controls in a string). Each object of a stream is parsed on its own, placed
        // where it stands in the file.
        var isJson = text.AsSpan().TrimStart().StartsWith('{');
        if (isJson ? ReportControlCharacter(file, text, JsonControlCharacters, "JSON", diagnostics) : ReportYamlProblems(file, text, limits, diagnostics))
            return;
        if (isJson && NotJson(text) is { } notJson)
        {
            Refuse(diagnostics, new SourceLocation(file, notJson.Line, notJson.Column), $"kubectl reads a file that starts with {{ as JSON, and this is not JSON: {notJson.Problem}");
            return;
        }

        if (useBlockReader && BlockYamlReader.TryRead(text, limits, builder))
            return;

        if (isJson && JsonStream.Objects(text) is { } objects)
        {
            var lines = 0;
            var counted = 0;
            foreach (var (start, end) in objects)
            {
                var lineStart = text.LastIndexOf('\n', start) + 1;
                lines += text.AsSpan(counted, lineStart - counted).Count('\n');
                counted = lineStart;
                if (!Parse(new Part(file, new string(' ', start - lineStart) + text[start..end], lines, IsJson: true), builder, diagnostics))
                    return;
            }

            return;
        }

        Parse(new Part(file, text, 0, isJson), builder, diagnostics);
    }

    /// <summary>Text to parse (a file, or one object of a JSON stream, after the lines before it), and where it stands.</summary>
    private readonly record struct Part(string File, string Text, int LineOffset, bool IsJson)
    {
        public TextPosition At(Mark mark) => new((int)Math.Max(1, mark.Line) + LineOffset, (int)Math.Max(1, mark.Column));

        public SourceLocation Where(Mark mark) => At(mark).In(File);
    }

    /// <summary>Feeds a part's documents to the builder; false means "stop reading this file" (an error, or the builder's limit).</summary>
    private static bool Parse(Part part, YamlTreeBuilder builder, List<Diagnostic> diagnostics)
    {
        var parser = new Parser(new StringReader(part.Text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                if (!builder.StartDocument(part.At(start.Start)) || !ReadDocument(part, parser, builder, diagnostics))
                    return false;
                builder.EndDocument();
            }

            return true;
        }
        catch (YamlException e)
        {
            // An unrendered template often breaks the YAML itself ({{- ... }}); say what it is rather than what the parser saw.
            var line = LineAt(part.Text, (int)e.Start.Line);
            diagnostics.Add(UnrenderedTemplate.Contains(line)
                ? Diagnostic.Error(DiagnosticCodes.UnrenderedTemplate, part.Where(e.Start), "", UnrenderedTemplate.LineMessage(line))
                : Diagnostic.Error(DiagnosticCodes.YamlSyntax, part.Where(e.Start), "", CleanMessage(e)));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these on some malformed input instead of a YamlException (an escaped lone surrogate: "\uD83D").
            var at = parser.Current is { } last ? part.Where(last.End) : new SourceLocation(part.File, 1 + part.LineOffset, 1);
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, at, "", "invalid YAML after this point"));
        }

        return false;
    }

    /// <summary>Feeds one document's events up to and including its end to the builder; false means "stop reading this file".</summary>
    private static bool ReadDocument(Part part, IParser parser, YamlTreeBuilder builder, List<Diagnostic> diagnostics)
    {
        while (!parser.TryConsume<DocumentEnd>(out _))
        {
            var evt = parser.Consume<ParsingEvent>();
            var at = part.At(evt.Start);
            var carryOn = evt switch
            {
                Scalar { Style: ScalarStyle.DoubleQuoted } scalar when !part.IsJson && EscapedSlash(part.Text, scalar) is { } slash => Refuse(diagnostics, part.Where(slash),
                    "\\/ is an escape YAML 1.2 has and go-yaml (kubectl, kustomize, Argo CD, Flux) does not: they cannot read this file; write / without the backslash"),
                Scalar scalar => builder.Scalar(at, scalar.Value, scalar.Style, TagOf(scalar), AnchorOf(scalar)),
                AnchorAlias alias => builder.Alias(at, alias.Value.Value),
                SequenceStart or MappingStart => builder.StartCollection(at, evt is MappingStart, AnchorOf((NodeEvent)evt)),
                SequenceEnd or MappingEnd => builder.EndCollection(),
                _ => Unexpected(diagnostics, at.In(part.File), evt),
            };
            if (!carryOn)
                return false;
        }

        return true;
    }

    /// <summary>Where (line and column, from 1) and why <paramref name="text"/> is not JSON values one after another, else null.</summary>
    private static (int Line, int Column, string Problem)? NotJson(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        // Go's JSON decoder nests up to 10,000 deep; the manifest's own, smaller limit is the tree's to report (yaml-too-deep).
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 10_000 });
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException e)
        {
            var (line, column) = JsonErrorPosition.Of(bytes, e);
            var problem = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal) is var cut and >= 0 ? e.Message[..cut] : e.Message;
            return (line, column, problem);
        }
    }

    /// <summary>Where a double-quoted scalar's text escapes a slash, else null.</summary>
    private static Mark? EscapedSlash(string text, Scalar scalar)
    {
        var start = (int)scalar.Start.Index;
        var raw = text.AsSpan(start, (int)Math.Min(scalar.End.Index, text.Length) - start);
        for (var i = raw.IndexOf('\\'); i >= 0 && i + 1 < raw.Length; i = raw[(i + 2)..].IndexOf('\\') is var next and >= 0 ? i + 2 + next : -1)
        {
            if (raw[i + 1] == '/')
                return PositionIn(text, start + i);
        }

        return null;
    }

    private static Mark PositionIn(string text, int index)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var line = text.AsSpan(0, lineStart).Count('\n') + 1;
        return new Mark(index, line, index - lineStart + 1);
    }

    private static bool Refuse(List<Diagnostic> diagnostics, SourceLocation at, string message)
    {
        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, at, "", message));
        return false;
    }

    private static bool Unexpected(List<Diagnostic> diagnostics, SourceLocation at, ParsingEvent evt)
    {
        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, at, "", $"unexpected {evt.GetType().Name}"));
        return false;
    }

    private static string LineAt(string text, int line)
    {
        var start = 0;
        for (var i = 1; i < line && start >= 0; i++)
            start = text.IndexOf('\n', start) is var next and >= 0 ? next + 1 : -1;
        if (start < 0 || start > text.Length)
            return "";
        var end = text.IndexOf('\n', start);
        return text[start..(end < 0 ? text.Length : end)];
    }

    private static string? AnchorOf(NodeEvent evt) => evt.Anchor.IsEmpty ? null : evt.Anchor.Value;

    // The non-specific tag "!" makes a scalar text, as in YAML 1.2 and to go-yaml ("! yes" is "yes").
    private static ScalarTag TagOf(NodeEvent evt) => evt.Tag.IsEmpty ? ScalarTag.None : evt.Tag.Value == "!" ? ScalarTag.Other : evt.Tag.IsNonSpecific ? ScalarTag.None : evt.Tag.Value switch
    {
        "tag:yaml.org,2002:null" => ScalarTag.Null,
        "tag:yaml.org,2002:bool" => ScalarTag.Boolean,
        "tag:yaml.org,2002:int" => ScalarTag.Integer,
        "tag:yaml.org,2002:float" => ScalarTag.Float,
        "!!bool" => ScalarTag.ShorthandBoolean,
        "tag:yaml.org,2002:binary" or "!!binary" => ScalarTag.Binary,
        _ => ScalarTag.Other,
    };

    /// <summary>
    /// YAML allows only printable characters in a stream (tab, line breaks, and from space on, less DEL, the C1 controls
    /// but NEL, and U+FFFE/U+FFFF); go-yaml, so kubectl, refuses the file at the first other one ("control characters are
    /// not allowed"), where YamlDotNet would keep or drop it. A double-quoted string still holds any of them as an escape.
    /// A JSON file is held to JSON's rule instead (<paramref name="refused"/>).
    /// </summary>
    private static bool ReportControlCharacter(string file, string text, SearchValues<char> refused, string language, List<Diagnostic> diagnostics)
    {
        var at = text.AsSpan().IndexOfAny(refused);
        if (at < 0)
            return false;
        var position = PositionIn(text, at);
        diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ControlCharacter, new SourceLocation(file, (int)position.Line, (int)position.Column), "",
            $"control character U+{(int)text[at]:X4} is not allowed in {language} (kubectl refuses it too); in a double-quoted string write it as the escape \\u{(int)text[at]:X4}"));
        return true;
    }

    // Both the tab and the separator problems are reported, so a file's every problem of the kind is listed at once.
    private static bool ReportYamlProblems(string file, string text, ManifestLimits limits, List<Diagnostic> diagnostics) =>
        ReportControlCharacter(file, text, YamlControlCharacters, "YAML", diagnostics)
        || ReportTabs(file, text, limits, diagnostics) | DocumentSeparators.Report(file, text, limits, diagnostics);

    private static readonly char[] C0Controls = [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c)];

    // JSON refuses only the C0 controls, and outside a string takes no character but whitespace anyway.
    private static readonly SearchValues<char> JsonControlCharacters = SearchValues.Create(C0Controls);

    private static readonly SearchValues<char> YamlControlCharacters = SearchValues.Create(
        [.. C0Controls, .. Enumerable.Range(0x7F, 0x21).Where(c => c != 0x85).Select(c => (char)c), '\uFFFE', '\uFFFF']);

    /// <summary>YAML forbids tabs in indentation; YamlDotNet's own message for them is cryptic, so we say it plainly.</summary>
    private static bool ReportTabs(string file, string text, ManifestLimits limits, List<Diagnostic> diagnostics)
    {
        var found = false;
        var line = 1;
        for (var i = 0; i < text.Length; line++)
        {
            var end = text.IndexOf('\n', i);
            if (end < 0)
                end = text.Length;
            var indentEnd = i;
            while (indentEnd < end && text[indentEnd] is ' ' or '\t')
                indentEnd++;
            var tab = text.IndexOf('\t', i, indentEnd - i);
            var blank = indentEnd == end || (indentEnd == end - 1 && text[indentEnd] == '\r');
            if (tab >= 0 && !blank)
            {
                if (diagnostics.Count >= limits.MaxDiagnosticsPerFile)
                {
                    diagnostics.Add(YamlTreeBuilder.TooManyProblems(new SourceLocation(file, line, tab - i + 1), limits));
                    return true;
                }

                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TabIndentation, new SourceLocation(file, line, tab - i + 1), "",
                    "tab character in indentation; YAML indents with spaces only"));
                found = true;
            }

            i = end + 1;
        }

        return found;
    }


    /// <summary>YamlDotNet prefixes messages with the position, which our format already shows.</summary>
    private static string CleanMessage(YamlException e)
    {
        var message = e.Message;
        var close = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith('(') && close > 0)
            message = message[(close + 3)..];
        return message.Length == 0 ? "invalid YAML" : char.ToLowerInvariant(message[0]) + message[1..];
    }
}
