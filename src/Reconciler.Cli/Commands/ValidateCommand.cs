using System.CommandLine;
using Reconciler.Core.Validation;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler validate -f &lt;file-or-folder&gt;... [-o text|json]</c>: exit 0 when valid, 1 when not.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Option<string[]>("--filename", "-f")
        {
            Description = "Manifest files or folders (searched recursively for *.yaml and *.yml); - reads standard input.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
            HelpName = "file-or-folder",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format: text, json, junit (JUnit XML) or sarif (SARIF 2.1.0, for code scanning).",
            DefaultValueFactory = _ => "text",
        };
        output.OneOf("text", "json", "junit", "sarif");
        files.RefusingFlags();

        var command = new Command("validate", """
            Check manifests for every structural and semantic problem (file:line:column), before anything touches a platform.
            Exit 0 when valid, 1 when not.

            Examples:
              reconciler validate -f examples/acme-support
              reconciler validate -f agents.yaml roles.yaml -o json
              kustomize build overlays/prod | reconciler validate -f -   # rendered elsewhere, read from standard input
              reconciler validate -f org -o sarif > reconciler.sarif     # GitHub code scanning: errors on the changed lines
              reconciler validate -f org -o junit > junit.xml            # GitLab / Jenkins test reports
            """)
        {
            files,
            output,
        };
        command.SetAction(parseResult =>
        {
            var paths = parseResult.GetValue(files) ?? [];
            EngineOptions.WaitingForStandardInput(paths, parseResult.InvocationConfiguration.Error);
            var report = ManifestValidator.Validate(paths);
            var baseDirectory = Directory.GetCurrentDirectory();
            var rendered = parseResult.GetValue(output) switch
            {
                "json" => ReportFormatter.FormatJson(report, baseDirectory),
                "junit" => ReportFormatter.FormatJunit(report, baseDirectory),
                "sarif" => ReportFormatter.FormatSarif(report, baseDirectory, typeof(ValidateCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"),
                _ => ReportFormatter.FormatText(report, baseDirectory),
            };
            parseResult.InvocationConfiguration.Output.Write(rendered);
            return report.IsValid ? 0 : 1;
        });
        return command;
    }
}
