using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Document separators as kubectl reads them: its reader (k8s.io/apimachinery's YAMLReader) splits a stream at every
/// line that starts with <c>---</c> before go-yaml parses each part, so content after <c>---</c> on its line is an error
/// to it, and a byte order mark that starts a part (files joined with <c>cat</c>) is read as go-yaml reads one at the
/// start of a stream.
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
        var lineStart = 0;
        var afterSeparator = false;
        while (lineStart < text.Length)
        {
            var end = text.IndexOf('\n', lineStart);
            end = end < 0 ? text.Length : end + 1;
            var line = text.AsSpan(lineStart, end - lineStart);
            kept.Append(afterSeparator && line.StartsWith("\uFEFF") ? line[1..] : line);
            afterSeparator = line.StartsWith(Separator);
            lineStart = end;
        }

        return kept.ToString();
    }

    /// <summary>Reports each separator line with content after <c>---</c> other than a comment; whether there was one.</summary>
    public static bool ReportContentAfter(string file, string text, List<Diagnostic> diagnostics)
    {
        var found = false;
        for (var start = text.StartsWith(Separator, StringComparison.Ordinal) ? 0 : NextLineStart(text, 0); start >= 0; start = NextLineStart(text, start + 1))
        {
            var end = text.IndexOf('\n', start);
            var after = text.AsSpan(start + Separator.Length, (end < 0 ? text.Length : end) - start - Separator.Length).Trim();
            if (after.IsEmpty || after[0] == '#')
                continue;
            var line = text.AsSpan(0, start).Count('\n') + 1;
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, new SourceLocation(file, line, 4), "",
                $"kubectl splits documents at every line starting with ---, and cannot read what follows it on that line ({Excerpt.Of(after.ToString())}); start the document on the next line"));
            found = true;
        }

        return found;
    }

    /// <summary>Where the next line at or after <paramref name="from"/> that starts with --- begins, or -1.</summary>
    private static int NextLineStart(string text, int from)
    {
        var at = text.IndexOf("\n" + Separator, Math.Max(0, from - 1), StringComparison.Ordinal);
        return at < 0 ? -1 : at + 1;
    }
}
