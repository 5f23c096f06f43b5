using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Reconciler.Core.Manifests;

namespace Reconciler.Core.Validation;

/// <summary>Renders a <see cref="ValidationReport"/> for people (<c>file:line:col: path: message</c>), machines (JSON) and CI tools (JUnit XML, SARIF 2.1.0).</summary>
public static class ReportFormatter
{
    // Both documents are nodes, written as they are: no serializer metadata, so the same in a Native AOT build.
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One line per diagnostic, then a summary; file paths relative to <paramref name="baseDirectory"/>.</summary>
    public static string FormatText(ValidationReport report, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        foreach (var d in report.Diagnostics)
        {
            var severity = d.IsError ? "" : "warning: ";
            var path = d.Path.Length > 0 ? $"{d.Path}: " : "";
            text.Append(TerminalText.Printable(Where(d, baseDirectory))).Append(": ").Append(severity).Append(TerminalText.Printable(path)).Append(TerminalText.Printable(Message(d, baseDirectory))).Append('\n');
        }

        text.Append(Summary(report)).Append('\n');
        return text.ToString();
    }

    /// <summary><c>{"valid":…,"resources":…,"errors":…,"warnings":…,"diagnostics":[{file,line,column,path,message,code,severity}]}</c>.</summary>
    public static string FormatJson(ValidationReport report, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var document = new JsonObject
        {
            ["valid"] = report.IsValid,
            ["resources"] = report.Resources.Count,
            ["errors"] = report.ErrorCount,
            ["warnings"] = report.WarningCount,
            ["diagnostics"] = new JsonArray([.. report.Diagnostics.Select(d => (JsonNode?)DiagnosticJson(d, baseDirectory))]),
        };
        return document.ToJsonString(Json) + "\n";
    }

    /// <summary>One diagnostic as <c>-o json</c> writes it everywhere (validate, and a plan that could not be made): <c>{file,line,column,path,message,code,severity}</c>.</summary>
    public static JsonObject DiagnosticJson(Diagnostic diagnostic, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new JsonObject
        {
            ["file"] = RelativeFile(diagnostic.File, baseDirectory),
            ["line"] = diagnostic.Line,
            ["column"] = diagnostic.Column,
            ["path"] = diagnostic.Path,
            ["message"] = Message(diagnostic, baseDirectory),
            ["code"] = diagnostic.Code,
            ["severity"] = diagnostic.IsError ? "error" : "warning",
        };
    }

    /// <summary>
    /// JUnit XML as GitLab, Jenkins and most CI tools read it: one test suite per file, one failed test case per error
    /// (named <c>line:column path</c>), one passing case for a file without errors; warnings go to system-out.
    /// </summary>
    public static string FormatJunit(ValidationReport report, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var files = report.Resources.Select(r => r.Source?.File).OfType<string>()
            .Concat(report.Diagnostics.Select(d => d.File))
            .Select(f => RelativeFile(f, baseDirectory)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var suites = new XElement("testsuites", new XAttribute("name", "reconciler validate"));
        foreach (var file in files)
        {
            var diagnostics = report.Diagnostics.Where(d => RelativeFile(d.File, baseDirectory) == file).ToList();
            var errors = diagnostics.Where(d => d.IsError).ToList();
            var name = XmlText(file);
            var suite = new XElement("testsuite", new XAttribute("name", name), new XAttribute("tests", Math.Max(1, errors.Count)), new XAttribute("failures", errors.Count), new XAttribute("errors", 0));
            foreach (var d in errors)
            {
                suite.Add(new XElement("testcase",
                    new XAttribute("classname", name), new XAttribute("name", XmlText($"{d.Line}:{d.Column} {d.Path}".TrimEnd())), new XAttribute("file", name), new XAttribute("line", d.Line),
                    new XElement("failure", new XAttribute("type", XmlText(d.Code)), new XAttribute("message", XmlText(Message(d, baseDirectory))), XmlText(Where(d, baseDirectory) + ": " + (d.Path.Length > 0 ? d.Path + ": " : "") + Message(d, baseDirectory)))));
            }

            if (errors.Count == 0)
                suite.Add(new XElement("testcase", new XAttribute("classname", name), new XAttribute("name", "valid"), new XAttribute("file", name)));
            var warnings = diagnostics.Where(d => !d.IsError).Select(d => $"{Where(d, baseDirectory)}: warning: {Message(d, baseDirectory)}").ToList();
            if (warnings.Count > 0)
                suite.Add(new XElement("system-out", XmlText(string.Join('\n', warnings))));
            suites.Add(suite);
        }

        suites.Add(new XAttribute("tests", suites.Elements().Sum(s => (int)s.Attribute("tests")!)), new XAttribute("failures", report.ErrorCount));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites).Declaration + "\n" + suites + "\n";
    }

    /// <summary>The text with each character XML 1.0 cannot hold (control characters, lone surrogates) written as <c>\uXXXX</c>, which XML writers refuse.</summary>
    private static string XmlText(string text)
    {
        var escaped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
                escaped.Append(text[i]).Append(text[++i]);
            else if (XmlConvert.IsXmlChar(text[i]))
                escaped.Append(text[i]);
            else
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)text[i]:X4}");
        }

        return escaped.ToString();
    }

    /// <summary>
    /// SARIF 2.1.0 (GitHub code scanning, GitLab, VS Code): one result per diagnostic with the rule, the level and a
    /// region at the line and column, file URIs relative to the repository root (<c>%SRCROOT%</c>).
    /// </summary>
    public static string FormatSarif(ValidationReport report, string baseDirectory, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rules = report.Diagnostics.Select(d => d.Code).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var results = report.Diagnostics.Select(d =>
        {
            var physical = new JsonObject
            {
                ["artifactLocation"] = new JsonObject { ["uri"] = Uri.EscapeDataString(RelativeFile(d.File, baseDirectory)).Replace("%2F", "/", StringComparison.Ordinal), ["uriBaseId"] = "%SRCROOT%" },
            };
            if (d.Line > 0)
                physical["region"] = new JsonObject { ["startLine"] = d.Line, ["startColumn"] = Math.Max(1, d.Column) };
            return (JsonNode?)new JsonObject
            {
                ["ruleId"] = d.Code,
                ["ruleIndex"] = rules.IndexOf(d.Code),
                ["level"] = d.IsError ? "error" : "warning",
                ["message"] = new JsonObject { ["text"] = d.Path.Length > 0 ? $"{d.Path}: {Message(d, baseDirectory)}" : Message(d, baseDirectory) },
                ["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = physical }),
            };
        });
        var sarif = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "reconciler",
                        ["version"] = toolVersion,
                        ["informationUri"] = "https://github.com/reconciler-dev/reconciler",
                        ["rules"] = new JsonArray([.. rules.Select(r => (JsonNode?)new JsonObject { ["id"] = r, ["shortDescription"] = new JsonObject { ["text"] = r } })]),
                    },
                },
                ["originalUriBaseIds"] = new JsonObject { ["%SRCROOT%"] = new JsonObject { ["uri"] = new Uri(Path.TrimEndingDirectorySeparator(baseDirectory) + Path.DirectorySeparatorChar).AbsoluteUri } },
                ["results"] = new JsonArray([.. results]),
            }),
        };
        return sarif.ToJsonString(Json) + "\n";
    }

    private static string Where(Diagnostic d, string baseDirectory) =>
        d.Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{RelativeFile(d.File, baseDirectory)}:{d.Line}:{d.Column}") : RelativeFile(d.File, baseDirectory);

    public static string Summary(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var resources = Plural(report.Resources.Count, "resource");
        return report.IsValid
            ? $"Valid: {resources}" + (report.WarningCount > 0 ? $", {Plural(report.WarningCount, "warning")}." : ".")
            : $"Invalid: {Plural(report.ErrorCount, "error")}, {Plural(report.WarningCount, "warning")} ({resources} loaded without errors).";
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>The message with the other place it names (<see cref="Diagnostic.Related"/>) named as the diagnostic's own file is: an absolute -f made it absolute.</summary>
    private static string Message(Diagnostic d, string baseDirectory) =>
        d.Related is { } related && RelativeFile(related.File, baseDirectory) is var file && file != related.File
            ? d.Message.Replace(related.ToString(), (related with { File = file }).ToString(), StringComparison.Ordinal)
            : d.Message;

    /// <summary>Files under the base directory are shown relative to it; others as given, since "../../x" helps nobody.</summary>
    private static string RelativeFile(string file, string baseDirectory)
    {
        var relative = Path.IsPathRooted(file) ? Path.GetRelativePath(baseDirectory, file) : file;
        return (relative.StartsWith("..", StringComparison.Ordinal) ? file : relative).Replace('\\', '/');
    }
}
