using System.CommandLine;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Engine;
using Reconciler.Core.Validation;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler plan -f DIR</c>: what apply would change; <c>--detailed-exitcode</c> gives 0 none, 1 error, 2 changes.</summary>
internal static class PlanCommand
{
    /// <summary>Separates the comments of a plan too long for one (<c>-o markdown</c>); CI scripts split on it.</summary>
    public const string CommentSeparator = "<!-- reconciler:next-comment -->";

    public static Command Create(CliEnvironment environment)
    {
        var options = new EngineOptions("text", "json", "markdown");
        var detailed = new Option<bool>("--detailed-exitcode") { Description = "Exit 0 when nothing would change, 1 on error, 2 when something would change." };
        var save = new Option<string?>("-out", "--out") { Description = "Save the plan to this file; 'reconciler apply FILE' applies exactly it, and refuses if the platform or manifests changed since.", HelpName = "file" };
        var command = new Command("plan", """
            Show what apply would change on the platform, without changing anything.

            Examples:
              reconciler plan -f examples/acme-support
              reconciler plan -f org/ --platform-url https://admin.example.com --detailed-exitcode   # CI: 2 = changes
              reconciler plan -f org/ -o json > plan.json
              reconciler plan -f org/ -o markdown > comment.md                                      # pull-request comment
              reconciler plan -f org/ -out org.plan && reconciler apply org.plan                     # apply what was reviewed
            """) { detailed, save, options.At };
        options.AddPlanOptionsTo(command);
        command.Validators.Add(result =>
        {
            // A saved plan is applied now; one evaluated at another time would be refused as stale, or worse, applied early.
            if (result.GetResult(options.At) is { Implicit: false } && result.GetResult(save) is { Implicit: false })
                result.AddError("--at cannot be used with -out: a saved plan is applied at the time apply runs; plan without --at to save one");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var format = parse.GetValue(options.Output);
            if (parse.GetValue(save) is not null && SavedPlan.CannotSave(parse.GetValue(options.Files) ?? [], parse.GetValue(options.SecretsDir), environment.WorkingDirectory) is { } unsaveable)
                return await RunProblem.FailAsync(output, error, format == "json", environment.WorkingDirectory, RunProblem.PlanNotSaveable, $"cannot save the plan: {unsaveable}");

            var planned = await PlanRun.CreateAsync(options, parse, environment, error, null, cancellationToken);
            if (planned.ExitCode is { } failed)
            {
                if (format == "json")
                    await RunProblem.WriteAsync(output, planned.Problems, environment.WorkingDirectory);
                return failed;
            }

            await using var session = planned.Session!;
            var plan = planned.Run!.Plan;
            // The safety header goes where a person reads it, never into a machine format on stdout.
            await (format is "json" or "markdown" ? error : output).WriteLineAsync(planned.SafetyHeader);
            if (format is "json" or "markdown")
                await output.WriteAsync(format == "json" ? PlanRun.Json(plan, environment.WorkingDirectory) : string.Join($"\n{CommentSeparator}\n\n", PlanRenderer.ToMarkdown(plan, relativeTo: environment.WorkingDirectory)));
            else
                PlanRun.WriteText(output, plan, environment, parse);
            if (parse.GetValue(save) is { } file)
            {
                // As Terraform: a plan that is not whole is not worth applying later; keep no file that says otherwise.
                if (plan.Errors.Count > 0 || plan.IsBlocked)
                {
                    await error.WriteLineAsync($"error: the plan was not saved to {file}: {(plan.IsBlocked ? "it breaks a safety limit" : $"{plan.Errors.Count} resource(s) could not be planned")}; fix that and run plan again.");
                    return 1;
                }

                var (saved, problem) = SavedPlan.Create(planned.Files, planned.Resources, planned.Run, planned.PlatformUrl, parse.GetValue(options.SecretsDir), planned.Options, environment.WorkingDirectory);
                if (saved is null)
                {
                    await error.WriteLineAsync($"error: cannot save the plan: {problem}");
                    return 1;
                }

                await AtomicFile.WriteAllTextAsync(environment.Resolve(file), saved.ToJson(), cancellationToken);
                // apply takes the URL from its own command line, never from the file, so the command given must name it too.
                // Quoted as a shell reads it back, so that the command pasted is this one, whatever the file or URL holds.
                var target = planned.PlatformUrl is { } url ? $" --platform-url {ShellWord.Quote(url)}" : "";
                await error.WriteLineAsync(TerminalText.Printable($"Saved the plan to {file}. To apply exactly it: reconciler apply {ShellWord.File(file)}{target}"));
            }

            if (ApplyCommand.GuardRefusal(plan, "apply would refuse it") is { } refusal)
                await error.WriteLineAsync(refusal);
            if (plan.Errors.Count > 0 || plan.IsBlocked)
                return 1;
            return parse.GetValue(detailed) && plan.HasChanges ? 2 : 0;
        });
        return command;
    }
}
