using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Impact;
using Reconciler.Core.Validation;
using Reconciler.Platform.Client;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler apply -f DIR</c>: plan, confirm, apply with progress, report per resource; non-zero exit when anything failed.</summary>
internal static class ApplyCommand
{
    /// <summary>The creates' idempotency nonces, in the state folder (<see cref="FilePendingCreateStore"/>).</summary>
    private const string PendingCreatesFile = "pending-creates.json";

    public static Command Create(CliEnvironment environment)
    {
        var options = new EngineOptions();
        var autoApprove = new Option<bool>("--auto-approve") { Description = "Apply without asking (required when not at a terminal, and with -o json unless a saved plan is applied)." };
        var parallelism = new Option<int>("--parallelism") { Description = "Most platform writes in flight at once.", DefaultValueFactory = _ => 8 };
        var planFile = new Argument<string?>("plan-file") { Description = "A plan saved by 'reconciler plan -out FILE': applies exactly it, without asking, and refuses if the platform or the manifests changed since.", Arity = ArgumentArity.ZeroOrOne };
        var lockTimeout = new Option<string>("--lock-timeout") { Description = "How long to wait for another apply in this folder to release the state lock: 0s (default), 30s, 5m.", DefaultValueFactory = _ => "0s" };
        var command = new Command("apply", """
            Make the platform match the manifests: shows the plan, asks (only 'yes' approves), applies with progress.

            Examples:
              reconciler apply -f examples/acme-support --secrets-dir examples/acme-support/secrets
              reconciler apply -f org/ --platform-url https://admin.example.com --token-file token --auto-approve
              reconciler plan -f org/ -out org.plan && reconciler apply org.plan
            """) { autoApprove, parallelism, planFile, lockTimeout };
        options.AddPlanOptionsTo(command);
        options.Files.Required = false;
        parallelism.Number(value => value < 1 ? "--parallelism must be at least 1." : null);
        command.Validators.Add(result =>
        {
            var hasFile = result.GetValue(planFile) is not null;
            var hasManifests = result.GetResult(options.Files) is { Implicit: false };
            if (!hasFile && !hasManifests)
                result.AddError("give the manifests with -f (or a plan saved with 'plan -out FILE')");

            // As Terraform: a saved plan carries its inputs and options; an option that would change them is an error, not ignored.
            Option[] fixedBySavedPlan = [options.Files, options.Prune, options.MaxDeletes, options.AllowEmptyKind, options.Allow];
            if (hasFile && fixedBySavedPlan.FirstOrDefault(o => result.GetResult(o) is { Implicit: false }) is { } given)
                result.AddError($"{given.Name} cannot be used with a saved plan file: the plan applies the manifests and options it was saved with; run 'plan -out' again to change them");

            // As Terraform refuses -json without -auto-approve: a run whose output is for a program has no one to answer
            // the question, and a declined or unanswerable one would write no document. Refused before anything is read or locked.
            if (!hasFile && result.GetValue(options.Output) == "json" && !result.GetValue(autoApprove))
                result.AddError("-o json cannot ask for approval: add --auto-approve, or apply a plan saved with 'plan -out FILE'");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var json = parse.GetValue(options.Output) == "json";
            using var interruption = new ApplyInterruption();
            SavedPlan? saved = null;
            if (parse.GetValue(planFile) is { } file)
            {
                (saved, var problem) = FileKinds.Of(environment.Resolve(file)) is not FileKind.None ? SavedPlan.Read(file, environment.WorkingDirectory) : (null, $"no saved plan at {file}");
                if (saved is null)
                    return await RunProblem.FailAsync(output, error, json, environment.WorkingDirectory, RunProblem.SavedPlanUnusable, problem!);
            }

            if (Durations.Parse(parse.GetValue(lockTimeout)) is not { } waitForLock)
                return await RunProblem.FailAsync(output, error, json, environment.WorkingDirectory, RunProblem.InvalidOption, $"--lock-timeout '{parse.GetValue(lockTimeout)}' is not a duration (0s, 30s, 5m)");

            // Asked before the lock is taken, so that a pending-creates file apply may not use stops it with nothing written.
            if (StateFolder.Problem(environment.WorkingDirectory, PendingCreatesFile) is { } unusable)
                return await RunProblem.FailAsync(output, error, json, environment.WorkingDirectory, RunProblem.StateUnavailable, unusable);

            // git is asked for the commit of the manifests' folder as the run starts, beside the loading: asked once the plan
            // was known, its process was the last thing the first create waited for. Manifests piped in may come from
            // anywhere (another checkout, a render of another commit): no commit is named for them.
            var manifests = PlanRun.ManifestArguments(options, parse, saved);
            var revision = manifests.Length > 0 && !manifests.Contains(ManifestLoader.StandardInput)
                ? GitRevision.Start(environment.Resolve(manifests[0]))
                : Task.FromResult<string?>(null);
            try
            {
                return await ApplyAsync(parse, output, error, json, interruption, saved, waitForLock, revision, cancellationToken);
            }
            finally
            {
                // A run that ends before its changes (invalid manifests, nothing to change) leaves no git behind.
                await revision;
            }
        });
        return command;

        async Task<int> ApplyAsync(ParseResult parse, TextWriter output, TextWriter error, bool json, ApplyInterruption interruption, SavedPlan? saved, TimeSpan waitForLock, Task<string?> revision, CancellationToken cancellationToken)
        {
            // A folder applied from before has its lock file: free, it is held from now on (nothing is written until the
            // manifests prove valid), so the platform can be observed while they load, as plan does.
            var stateLock = StateLock.HoldIfFree(environment.WorkingDirectory);
            var heldFromStart = stateLock is not null;
            PlanRun planned;
            try
            {
                planned = await PlanRun.CreateAsync(options, parse, environment, error, saved, cancellationToken, async token =>
                {
                    if (stateLock is not null)
                    {
                        await stateLock.AnnounceAsync("apply", TimeProvider.System, token);
                        return null;
                    }

                    (stateLock, var lockProblem) = await StateLock.AcquireAsync(environment.WorkingDirectory, "apply", waitForLock, TimeProvider.System, token);
                    return lockProblem;
                }, heldFromStart);
            }
            catch
            {
                stateLock?.Dispose();
                throw;
            }

            using var held = stateLock;
            if (planned.ExitCode is { } failed)
            {
                // The plan document's shape, not apply's result: nothing was planned, so there are no results to report.
                if (json)
                    await RunProblem.WriteAsync(output, planned.Problems, environment.WorkingDirectory);
                return failed;
            }

            await using var session = planned.Session!;
            var plan = planned.Run!.Plan;

            // Rendering and printing a first apply's plan takes a while, and what follows it does not depend on the text:
            // so, when nobody will be asked, the creates' idempotency nonces are reserved (a file written through) while
            // the plan is printed. A plan that is refused or changes nothing reserves none.
            var pending = new FilePendingCreateStore(
                Path.Combine(StateFolder.Of(environment.WorkingDirectory), PendingCreatesFile),
                (file, content, token) => AtomicFile.WriteAsync(file, stream => stream.WriteAsync(content, token).AsTask()));
            var applies = plan.HasChanges && !plan.IsBlocked;
            var reserved = applies && (parse.GetValue(autoApprove) || saved is not null)
                ? Task.Run<IReadOnlyDictionary<string, string>?>(async () => await PlanExecutor.ReserveCreatesAsync(plan, pending, cancellationToken), CancellationToken.None)
                : Task.FromResult<IReadOnlyDictionary<string, string>?>(null);
            await (json ? error : output).WriteLineAsync(planned.SafetyHeader);
            PlanRun.WriteText(json ? error : output, plan, environment, parse);
            if (plan.IsBlocked)
            {
                await error.WriteLineAsync(GuardRefusal(plan, "nothing was applied") ?? "error: the plan breaks a safety limit; nothing was applied.");

                // Nothing was applied, so there is no result: the plan says why (refusals[], guards[]), and a pipeline
                // reading standard output gets it rather than nothing to parse.
                if (json)
                    await output.WriteAsync(PlanRun.Json(plan, environment.WorkingDirectory));
                return 1;
            }

            if (!plan.HasChanges)
            {
                if (json)
                    await output.WriteLineAsync(ResultJson(new ApplyResult([.. plan.Errors.Select(e => new ResourceResult(e.Address, null, ResourceOutcome.Failed, null, $"{e.Reason}: {e.Message}"))])));
                return plan.Errors.Count > 0 ? 1 : 0;
            }

            var reasons = ChangeReasons.FromManifests(await revision, environment.WorkingDirectory);

            // A saved plan was reviewed already: as with Terraform, applying it does not ask again.
            if (!parse.GetValue(autoApprove) && saved is null)
            {
                if (!environment.CanAsk)
                {
                    await error.WriteLineAsync(planned.Files.Contains(ManifestLoader.StandardInput)
                        ? "error: apply needs confirmation, and standard input carried the manifests, so no answer can be read there; pass --auto-approve to apply without asking."
                        : "error: apply needs confirmation, and there is no terminal to ask at; pass --auto-approve to apply without asking.");
                    return 1;
                }

                // On standard output with the plan, unless that goes to a pipe or a file, where no one would see it.
                if (!await ConfirmAsync(environment.IsInteractive ? output : error, StandardStream.TerminalLines(), cancellationToken))
                {
                    await error.WriteLineAsync("Apply cancelled. Nothing was changed.");
                    return 1;
                }
            }

            var nonces = await reserved;
            var total = plan.Changes.Count + plan.Errors.Count;
            var progressWriter = json ? error : output;
            using var progress = new ApplyProgress(progressWriter, total, environment.IsInteractive && !json, TimeProvider.System);
            interruption.BeginWrites(progress.Note, progress.RestoreTerminal);
            ApplyResult result;
            using (ReconcilerTracing.StartRun("reconciler apply"))
                result = await planned.Engine!.ApplyAsync(planned.Run, pending, reasons, parse.GetValue(parallelism), progress, cancellationToken, interruption.Stopping, nonces);
            var exitCode = interruption.EndWrites(result.Succeeded);
            progress.RestoreTerminal();
            await output.WriteAsync(json ? ResultJson(result) + Environment.NewLine : Summary(result));
            return exitCode;
        }
    }

    /// <summary>The error naming the guards that refused the plan and how to allow them; null when no guard did.</summary>
    internal static string? GuardRefusal(Plan plan, string outcome)
    {
        var refused = plan.GuardRefusals.GroupBy(g => g.Guard).ToList();
        return refused.Count == 0
            ? null
            : TerminalText.Printable($"error: refused by guard {string.Join(", ", refused.Select(g => g.Key))} ({string.Join("; ", refused.SelectMany(g => g).Select(g => g.Message + PlanReviewText.ResourceList(g)))}); {outcome}. To allow it: --allow {string.Join(",", refused.Select(g => g.Key))}");
    }

    /// <summary>Terraform's rule: only the full word "yes" approves; anything else, or end of input, cancels.</summary>
    internal static async Task<bool> ConfirmAsync(TextWriter output, TextReader input, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync("Do you want to perform these actions?");
        await output.WriteLineAsync("  Reconciler will perform the actions described above.");
        await output.WriteLineAsync("  Only 'yes' will be accepted to approve.");
        await output.WriteLineAsync();
        await output.WriteAsync("  Enter a value: ");
        await output.FlushAsync(cancellationToken);
        var answer = await input.ReadLineAsync(cancellationToken);
        await output.WriteLineAsync();
        return string.Equals(answer?.Trim(), "yes", StringComparison.Ordinal);
    }

    /// <summary>The counts; each resource's line was printed as it finished.</summary>
    public static string Summary(ApplyResult result)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Apply {(result.Succeeded ? "complete" : result.Cancelled ? "cancelled" : "finished with failures")}: {result.Count(ResourceOutcome.Created)} created, {result.Count(ResourceOutcome.Updated)} updated, {result.Count(ResourceOutcome.Adopted)} adopted, {result.Count(ResourceOutcome.Deleted)} deleted, {result.Count(ResourceOutcome.Failed)} failed, {result.Count(ResourceOutcome.Skipped)} skipped.");
        return text.ToString();
    }

    public static string ResultJson(ApplyResult result) => new JsonObject
    {
        ["succeeded"] = result.Succeeded,
        ["cancelled"] = result.Cancelled,
        ["results"] = new JsonArray([.. result.Results.Select(r => (JsonNode?)new JsonObject
        {
            ["address"] = r.Address.ToString(),
            ["action"] = r.Action?.ToString().ToLowerInvariant(),
            ["outcome"] = r.Outcome.ToString(),
            ["objectId"] = r.ObjectId,
            ["message"] = r.Message,
        })]),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
