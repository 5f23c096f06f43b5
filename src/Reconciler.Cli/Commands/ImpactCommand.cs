using System.CommandLine;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Impact;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler impact -f DIR</c>: the coverage matrix of the organisation the manifests describe, for reviews that are not about a change.</summary>
internal static class ImpactCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var options = new EngineOptions("text", "markdown", "json");
        var command = new Command("impact", """
            Show coverage: for each business unit and language, which active L1 agents serve every opening interval of
            its office hours (holidays with special hours included, in the office hours' time zone), and each unit's
            capacity (the sum of its active L1 agents' maxConcurrentChats). Computed for the organisation as the
            manifests would leave it; nothing is written.

            Examples:
              reconciler impact -f examples/acme-support --secrets-dir examples/acme-support/secrets
              reconciler impact -f org/ -o markdown > coverage.md
            """);
        options.AddPlanOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var planned = await PlanRun.CreateAsync(options, parse, environment, error, null, cancellationToken);
            if (planned.ExitCode is { } failed)
                return failed;
            await using var session = planned.Session!;
            var matrix = CoverageCalculator.Of(PlanStates.Of(planned.Run!.Observed, planned.Run.Plan).After);
            await output.WriteAsync(parse.GetValue(options.Output) switch
            {
                "markdown" => CoverageReport.ToMarkdown(matrix),
                "json" => CoverageReport.ToJson(matrix),
                _ => CoverageReport.ToText(matrix),
            });
            foreach (var problem in planned.Run.Plan.Errors)
                await error.WriteLineAsync($"warning: {problem.Address} could not be planned ({problem.Reason}: {problem.Message}); coverage shows it as the platform has it");
            return 0;
        });
        return command;
    }
}
