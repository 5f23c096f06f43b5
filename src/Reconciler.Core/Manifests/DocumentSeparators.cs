using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Documents as kubectl finds them: its reader (k8s.io/apimachinery's YAMLReader) splits a stream at every line that
/// starts with <c>---</c> before go-yaml parses each part, so content after <c>---</c> on its line is an error to it, a
/// directive is left alone in a part, go-yaml reads only a part's first document, and a byte order mark that starts a
/// part (files joined with <c>cat</c>) is read as go-yaml reads one at the start of a stream.
/// </summary>
internal static class DocumentSeparators
{
    private const string Separator = "---";

    /// <summary>The text without the byte order marks that open a line right after a separator line.</summary>
    public static string WithoutPartByteOrderMarks(string text)
    {
        if (!text.Contains('\uFEFF', StringComparison.Ordinal))
            return text;
        var kept = new System.Text.StringBuilder(text.Length);
        var afterSeparator = false;
        for (var lineStart = 0; lineStart < text.Length; lineStart = NextLine(text, lineStart))
        {
            var line = text.AsSpan(lineStart, NextLine(text, lineStart) - lineStart);
            kept.Append(afterSeparator && line.StartsWith("\uFEFF") ? line[1..] : line);
            afterSeparator = line.StartsWith(Separator);
        }

        return kept.ToString();
    }

    /// <summary>
    /// Reports what kubectl's reader cannot read or would drop: content after <c>---</c> on its line (a comment needs a
    /// space before its <c>#</c>), YAML directives (<c>%YAML</c>, which it splits from their document), and content after a
    /// <c>...</c> end marker before the next <c>---</c> (go-yaml reads only the first document of a part), up to the file's
    /// limit of problems; whether there was any.
    /// </summary>
    public static bool Report(string file, string text, ManifestLimits limits, List<Diagnostic> diagnostics)
    {
        var found = false;
        var ended = false;
        var number = 0;
        for (var start = 0; start < text.Length; start = NextLine(text, start))
        {
            number++;
            var line = text.AsSpan(start, LineLength(text, start));
            string? problem = null;
            var column = 1;
            if (line.StartsWith(Separator))
            {
                ended = false;
                var after = line[Separator.Length..];
                var content = after.TrimStart();
                column = Separator.Length + after.Length - content.Length + 1;
                content = content.TrimEnd();
                if (content.StartsWith("#") && content.Length == after.TrimEnd().Length)
                    problem = "a comment after --- needs a space before its #, or YAML reads the line as text; kubectl would take it as a separator";
                else if (!content.IsEmpty && content[0] != '#')
                    problem = $"kubectl splits documents at every line starting with ---, and cannot read what follows it on that line ({Excerpt.Of(content.ToString())}); start the document on the next line";
            }
            else if (line.StartsWith("%"))
            {
                problem = "kubectl cannot read a YAML directive (it splits the file at --- lines, leaving the directive on its own); remove the line";
            }
            else if (IsEndMarker(line))
            {
                ended = true;
            }
            else if (ended && line.TrimStart() is { IsEmpty: false } content && content[0] != '#')
            {
                problem = "kubectl reads only the first document between two --- lines and would ignore this one, which follows a ... end marker; put --- before it";
                column = line.Length - content.Length + 1;
                ended = false;
            }

            if (problem is not null)
            {
                if (diagnostics.Count >= limits.MaxDiagnosticsPerFile)
                {
                    diagnostics.Add(YamlTreeBuilder.TooManyProblems(new SourceLocation(file, number, column), limits));
                    return true;
                }

                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, new SourceLocation(file, number, column), "", problem));
                found = true;
            }
        }

        return found;
    }

    private static bool IsEndMarker(ReadOnlySpan<char> line) =>
        line.StartsWith("...") && (line.Length == 3 || line[3] is ' ' or '\t' or '#');

    private static int LineLength(string text, int start)
    {
        var end = text.IndexOf('\n', start);
        var length = (end < 0 ? text.Length : end) - start;
        return length > 0 && text[start + length - 1] == '\r' ? length - 1 : length;
    }

    private static int NextLine(string text, int start)
    {
        var end = text.IndexOf('\n', start);
        return end < 0 ? text.Length : end + 1;
    }
}
