using Reconciler.Core.Engine.Output;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;

namespace Reconciler.Cli.Commands;

/// <summary>
/// Why plan or apply made no plan, as diagnostics beside the manifests' own: with <c>-o json</c> a pipeline reads them in
/// the plan document (<c>errored</c>, <c>diagnostics</c>) instead of finding nothing on standard output.
/// </summary>
internal static class RunProblem
{
    public const string InvalidOption = "invalid-option";
    public const string PlanNotSaveable = "plan-not-saveable";
    public const string SavedPlanUnusable = "saved-plan-unusable";
    public const string SavedPlanStale = "saved-plan-stale";
    public const string PlatformNotConfirmed = "platform-not-confirmed";
    public const string PlatformConnection = "platform-connection";
    public const string PlatformUnavailable = "platform-unavailable";
    public const string StateUnavailable = "state-unavailable";

    /// <summary>An error about the run rather than a manifest line: no file, line 0 and column 0 unless a resource is its cause.</summary>
    public static Diagnostic Of(string code, string message, SourceSpan? at = null) =>
        new(DiagnosticSeverity.Error, code, message, at?.File ?? "", at?.Line ?? 0, at?.Column ?? 0, "");

    /// <summary>Writes <c>error: message</c> for people; with <c>-o json</c> also the plan document that says it, for machines.</summary>
    public static async Task<int> FailAsync(TextWriter output, TextWriter error, bool json, string workingDirectory, string code, string message)
    {
        // The message may quote what was typed (a path, a duration): it reaches the terminal without its control characters.
        await error.WriteLineAsync($"error: {TerminalText.Printable(message)}");
        if (json)
            await WriteAsync(output, [Of(code, message)], workingDirectory);
        return 1;
    }

    public static Task WriteAsync(TextWriter output, IEnumerable<Diagnostic> problems, string workingDirectory) =>
        output.WriteAsync(PlanJson.WriteUnplanned(problems, workingDirectory) + Environment.NewLine);
}
