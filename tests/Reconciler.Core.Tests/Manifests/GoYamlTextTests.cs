using CsCheck;
using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>
/// Text in every YAML style (plain over several lines, quoted with escapes and folding, literal and folded blocks with
/// their chomping and indentation indicators) reads as the real kubectl reads it, or is refused where kubectl would fail.
/// </summary>
public sealed class GoYamlTextTests
{
    private static readonly string[] Words = ["a", "text", "é", "日本", "😀", "x#y", "a:b", "it's", "1", "no", "-", "a  b", "\\", "\"", "'", "\t"];

    private static readonly string[] Escapes =
    [
        "\\n", "\\t", "\\\\", "\\\"", "\\/", "\\0", "\\a", "\\b", "\\v", "\\f", "\\r", "\\e", "\\ ", "\\N", "\\_", "\\L", "\\P",
        "\\x41", "\\u00e9", "\\U0001F600", "\\\t",
    ];

    private static readonly Gen<string> Line = Gen.OneOf(Words).List[1, 4].Select(words => string.Join(" ", words));

    private static readonly Gen<string> SafeLine = Gen.OneOf("a", "text", "é", "日本", "it is", "x#y", "1 2").List[1, 3].Select(words => string.Join(" ", words));

    /// <summary>What follows <c>description:</c> (a space, a value, its newline) in a document whose spec entries are indented by two.</summary>
    private static readonly Gen<string> Value = Gen.Frequency(
        // Plain, continued on lines indented deeper, with empty lines between (each is a line break).
        (2, Gen.Select(SafeLine, SafeLine.List[0, 3], Gen.Int[0, 2]).Select((first, more, gaps) =>
            " " + first + string.Concat(more.Select(l => "\n" + new string('\n', gaps) + "    " + l)) + "\n")),
        // Single-quoted, folded over lines.
        (2, Gen.Select(Line.List[1, 3], Gen.Int[0, 2]).Select((lines, gaps) =>
            " '" + string.Join("\n" + new string('\n', gaps) + "    ", lines.Select(l => l.Replace("'", "''", StringComparison.Ordinal))) + "'\n")),
        // Double-quoted with escapes, folded over lines, sometimes with an escaped line break.
        (3, Gen.Select(Line, Gen.OneOf(Escapes).List[0, 3], Line.List[0, 2], Gen.OneOf("\n    ", "\\\n    ", "\n\n    ", " \\\n  ")).Select((first, escapes, more, breakStyle) =>
            " \"" + Quote(first) + string.Concat(escapes) + string.Concat(more.Select(l => breakStyle + Quote(l))) + "\"\n")),
        // Literal and folded blocks: chomping, an indentation indicator, more-indented lines and blank lines.
        (3, Gen.Select(Gen.OneOf("|", ">"), Gen.OneOf("", "-", "+", "2", "-2", "2+"), Gen.Select(Gen.Int[0, 3], Line).List[1, 5], Gen.Int[0, 2]).Select((style, indicator, lines, trailing) =>
            " " + style + indicator + "\n" + string.Concat(lines.Select(l => (l.Item1 == 3 ? "" : new string(' ', 4 + l.Item1) + l.Item2.Replace("\t", " ", StringComparison.Ordinal)) + "\n")) + new string('\n', trailing))));

    private static string Quote(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    [KubectlFact]
    public void Text_in_every_style_reads_as_kubectl_reads_it()
    {
        Value.Array[150].Sample(values =>
        {
            var documents = values.Select((value, i) => $"apiVersion: support.reconciler.dev/v1alpha1\nkind: Role\nmetadata:\n  name: r{i}\nspec:\n  displayName: R\n  description:{value}").ToArray();
            var read = Kubectl.Read(documents);
            var disagreements = new List<string>();
            for (var i = 0; i < documents.Length; i++)
            {
                var report = ManifestValidator.ValidateYaml(documents[i], "test.yaml");
                var ours = report.IsValid ? report.Resources.OfType<Resources.Role>().Single().Spec.Description : null;
                var sent = read.GetValueOrDefault($"r{i}");
                var theirs = sent?["spec"]?["description"];
                var kubectlText = theirs is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
                // Where YAML itself forbids what go-yaml tolerates (a tab or a short indent on a continuation line), refusing is right.
                var strictYaml = !report.IsValid && report.Diagnostics.All(d => d.Code is DiagnosticCodes.YamlSyntax or DiagnosticCodes.TabIndentation) && !report.Diagnostics.Any(d => d.Message.Contains("go-yaml", StringComparison.Ordinal));
                // A rule on the text's content (a blank description) is not a question of reading it.
                var contentRule = !report.IsValid && report.Diagnostics.All(d => d.Code is not (DiagnosticCodes.YamlSyntax or DiagnosticCodes.TabIndentation or DiagnosticCodes.WrongType));
                if (sent is null ? report.IsValid : ours != kubectlText && !strictYaml && !contentRule && !(ours is null && kubectlText is null or ""))
                    disagreements.Add($"description:{values[i]}=> kubectl {(sent is null ? "fails" : theirs?.ToJsonString() ?? "null")}, the CLI {(report.IsValid ? System.Text.Json.JsonSerializer.Serialize(ours) : "refuses: " + report.Diagnostics.First().Message)}");
            }

            disagreements.Should().BeEmpty();
        }, iter: 4, threads: 1);
    }
}
