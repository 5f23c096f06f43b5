using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Reconciler.Core.Validation;

/// <summary>Renders a <see cref="ValidationReport"/> for people (<c>file:line:col: path: message</c>) or machines (JSON).</summary>
public static class ReportFormatter
{
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    /// <summary>One line per diagnostic, then a summary; file paths relative to <paramref name="baseDirectory"/>.</summary>
    public static string FormatText(ValidationReport report, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        foreach (var d in report.Diagnostics)
        {
            var where = d.Line > 0 ? $"{RelativeFile(d.File, baseDirectory)}:{d.Line}:{d.Column}" : RelativeFile(d.File, baseDirectory);
            var severity = d.IsError ? "" : "warning: ";
            var path = d.Path.Length > 0 ? $"{d.Path}: " : "";
            text.Append(where).Append(": ").Append(severity).Append(path).Append(d.Message).Append('\n');
        }

        text.Append(Summary(report)).Append('\n');
        return text.ToString();
    }

    /// <summary><c>{"valid":…,"resources":…,"errors":…,"warnings":…,"diagnostics":[{file,line,column,path,message,code,severity}]}</c>.</summary>
    public static string FormatJson(ValidationReport report, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(report);
        var document = new
        {
            Valid = report.IsValid,
            Resources = report.Resources.Count,
            Errors = report.ErrorCount,
            Warnings = report.WarningCount,
            Diagnostics = report.Diagnostics.Select(d => new
            {
                File = RelativeFile(d.File, baseDirectory),
                d.Line,
                d.Column,
                d.Path,
                d.Message,
                d.Code,
                Severity = d.IsError ? "error" : "warning",
            }),
        };
        return JsonSerializer.Serialize(document, Json) + "\n";
    }

    public static string Summary(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var resources = Plural(report.Resources.Count, "resource");
        return report.IsValid
            ? $"Valid: {resources}" + (report.WarningCount > 0 ? $", {Plural(report.WarningCount, "warning")}." : ".")
            : $"Invalid: {Plural(report.ErrorCount, "error")}, {Plural(report.WarningCount, "warning")} ({resources} loaded without errors).";
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>Files under the base directory are shown relative to it; others as given, since "../../x" helps nobody.</summary>
    private static string RelativeFile(string file, string baseDirectory)
    {
        var relative = Path.IsPathRooted(file) ? Path.GetRelativePath(baseDirectory, file) : file;
        return (relative.StartsWith("..", StringComparison.Ordinal) ? file : relative).Replace('\\', '/');
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
