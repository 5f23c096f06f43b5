using System.CommandLine;
using System.Text.Json.Nodes;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Engine;
using Reconciler.Core.Engine.Output;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;

namespace Reconciler.Cli.Commands;

/// <summary>The steps plan and apply share: validate, connect, observe and plan (from the command line, or from a saved plan's inputs).</summary>
internal sealed record PlanRun(PlatformSession? Session, PlannedRun? Run, ReconcileEngine? Engine, int? ExitCode)
{
    /// <summary>The effective prune settings and their source, and drift's when the PlatformConnection asks otherwise, stated above the plan.</summary>
    public string? SafetyHeader { get; init; }

    public IReadOnlyList<string> Files { get; init; } = [];

    public IReadOnlyList<Resource> Resources { get; init; } = [];

    public PlanOptions Options { get; init; } = new();

    /// <summary>Why no plan was made (the manifests' diagnostics, or the run's own problem); empty when one was.</summary>
    public IReadOnlyList<Diagnostic> Problems { get; init; } = [];

    /// <summary>The platform's base URL as given (the flag); null for the embedded reference platform.</summary>
    public string? PlatformUrl { get; init; }

    /// <summary>The number of resources from which validation's garbage is worth a full collection before observing and planning.</summary>
    private const int CollectAfterValidationFrom = 1000;

    /// <summary>The manifests a run reads: a saved plan's, else the <c>-f</c> arguments as given.</summary>
    public static string[] ManifestArguments(EngineOptions options, ParseResult parse, SavedPlan? saved) =>
        saved?.Files.ToArray() ?? parse.GetValue(options.Files) ?? [];

    /// <summary>
    /// Validates, connects, observes and plans. <paramref name="lockState"/> (apply's state lock, null for plan) is taken
    /// once the manifests proved valid, so invalid input writes nothing, not even the lock; and before anything is
    /// observed, so a run that waited for another one plans from what that one did: with it, nothing is observed early,
    /// unless the lock was <paramref name="heldFromStart"/> (<see cref="StateLock.HoldIfFree"/>), when no other run can
    /// write between the observation and the plan, and <paramref name="lockState"/> only names the holder.
    /// </summary>
    public static async Task<PlanRun> CreateAsync(EngineOptions options, ParseResult parse, CliEnvironment environment, TextWriter error, SavedPlan? saved, CancellationToken cancellationToken, Func<CancellationToken, Task<string?>>? lockState = null, bool heldFromStart = false)
    {
        var files = ManifestArguments(options, parse, saved);

        // A saved plan names its manifests relative to the folder plan ran in: applied elsewhere, loading would say only
        // that they are missing, and nothing that the saved plan is why they were looked for there.
        if (saved is not null && files.FirstOrDefault(f => FileKinds.Of(environment.Resolve(f)) is FileKind.None) is { } missing)
            return await FailedAsync(error, RunProblem.SavedPlanUnusable, $"the saved plan names the manifests {missing}, which are not in {environment.WorkingDirectory}; apply a saved plan in the folder 'plan -out' ran in. Nothing was applied.");

        await using var speculative = lockState is null || heldFromStart ? SpeculativeObservation.Start(options.Connection(parse, null), environment, cancellationToken) : null;
        var report = EngineOptions.Load(files, environment, error);
        if (!report.IsValid)
            return Failed(report.Diagnostics);
        var resources = report.Resources;

        // Loading's garbage (each file's decoded text and YAML trees) and validation's died with its report, much of it
        // promoted to gen2 by then; collecting it here lets observing and planning reuse that memory instead of growing the heap.
        // A small set's garbage is a few MiB that gen0 collections take anyway; there a full collection is only cost.
        if (resources.Count >= CollectAfterValidationFrom)
            GC.Collect();
        if (saved is not null && saved.ManifestChanges(SavedPlan.DigestManifests(resources, environment.WorkingDirectory)) is { Count: > 0 } changed)
            return await FailedAsync(error, RunProblem.SavedPlanStale, $"the manifests changed since the plan was saved: {string.Join(", ", changed)}. Nothing was applied; run plan again.");

        // Read before a platform is started or asked: a mistyped --at needs neither. A date is read again once the platform's
        // profile is known, for a set of files without the Organization whose zone it starts in.
        if (DatedRun.At(parse.GetValue(options.At), resources, null, environment.Time) is not { } at)
            return await FailedAsync(error, RunProblem.InvalidOption, $"--at '{parse.GetValue(options.At)}' is neither an RFC 3339 timestamp with an offset (2026-12-07T09:00:00+01:00) nor a date (2026-12-07)");

        var declared = resources.OfType<PlatformConnection>().FirstOrDefault();
        if (EngineOptions.UnconfirmedUrl(parse.GetValue(options.PlatformUrl), declared) is { } unconfirmed)
            return await FailedAsync(error, RunProblem.PlatformNotConfirmed, unconfirmed, declared?.Source);

        if (EngineOptions.OtherUrl(parse.GetValue(options.PlatformUrl), declared) is { } other)
            await error.WriteLineAsync($"warning: {other}");

        var connection = declared?.Spec;
        var secretsDir = parse.GetValue(options.SecretsDir) ?? saved?.SecretsDir;
        var settings = EngineOptions.WithManifestToken(options.Connection(parse, connection), connection, secretsDir, environment);
        if (saved is not null && !SamePlatform(saved.PlatformUrl, settings.Url))
            return await FailedAsync(error, RunProblem.SavedPlanStale, $"the plan was saved for {saved.PlatformUrl ?? "the embedded reference platform"}, this apply targets {settings.Url ?? "the embedded reference platform"}; pass the same --platform-url. Nothing was applied.");

        if (lockState is not null && await lockState(cancellationToken) is { } unlockable)
            return await FailedAsync(error, RunProblem.StateUnavailable, unlockable);

        var taken = speculative is null ? null : await speculative.TakeAsync(settings, error);
        var (session, problem) = taken is { } t ? (t.Session, null) : await PlatformSession.OpenAsync(settings, environment, error, cancellationToken);
        if (session is null)
            return await FailedAsync(error, RunProblem.PlatformConnection, problem!);

        var engine = new ReconcileEngine(session.Client, options.Secrets(secretsDir, environment));
        var observed = await (taken?.Observed ?? engine.ObserveAsync(cancellationToken));
        if (!observed.IsOk)
        {
            await session.DisposeAsync();
            return await FailedAsync(error, RunProblem.PlatformUnavailable, $"cannot observe the platform: {observed.Message}");
        }

        if (parse.GetValue(options.At) is { } given)
            at = DatedRun.At(given, resources, observed.Value, environment.Time) ?? at;
        var planOptions = (saved is null ? options.PlanOptions(parse, connection) : saved.Options with { Guards = EngineOptions.Guards(connection, saved.Options.Guards.Allowed) })
            with { At = at, FieldOwners = Core.FieldOwnership.FieldOwners.Parse(connection?.FieldOwners).Owners };

        var planned = await engine.PlanAsync(resources, planOptions, observed.Value!, cancellationToken);
        planned = planned with { Plan = FieldSources.Locate(planned.Plan) };

        if (saved?.SecretChanges(planned.Secrets) is { Count: > 0 } secrets)
        {
            await session.DisposeAsync();
            return await FailedAsync(error, RunProblem.SavedPlanStale, $"secrets changed since the plan was saved: {string.Join(", ", secrets)}. Nothing was applied; run plan again.");
        }

        if (saved is not null && Stale(saved, planned, environment.WorkingDirectory) is { } stale)
        {
            await session.DisposeAsync();
            return await FailedAsync(error, RunProblem.SavedPlanStale, $"{stale}. Nothing was applied; run plan again.");
        }

        return new PlanRun(session, planned, engine, null)
        {
            Files = files,
            Resources = resources,
            Options = planOptions,
            PlatformUrl = settings.Url,
            SafetyHeader = (saved is null
                ? options.SafetyHeader(parse, connection)
                : $"Prune: {(planOptions.Prune ? "on" : "off")}; max deletes: {planOptions.MaxDeletes} (as saved with the plan).")
                + EngineOptions.DriftHeader(connection)
                + DatedRun.Header(parse.GetValue(options.At), at),
        };
    }

    /// <summary>Why a saved plan may no longer be applied: the platform was written to, or the same inputs now give another plan (a secret changed).</summary>
    private static string? Stale(SavedPlan saved, PlannedRun run, string workingDirectory)
    {
        if (SavedPlan.DigestPlatform(run.Observed) != saved.PlatformDigest)
            return "the platform changed since the plan was saved";
        return JsonNode.DeepEquals(Untimed(PlanJson.Build(run.Plan, workingDirectory)), Untimed(saved.Plan)) ? null : "the plan computed now differs from the saved plan (a secret or the platform's audit trail changed)";
    }

    /// <summary>The plan without the instant it was evaluated at: apply evaluates now; a transition that came due since still changes the plan.</summary>
    private static JsonNode? Untimed(JsonNode? plan)
    {
        if (plan?.DeepClone() is not JsonObject copy)
            return plan;
        copy.Remove("evaluated_at");
        return copy;
    }

    private static bool SamePlatform(string? saved, string? now) =>
        string.Equals(saved?.TrimEnd('/'), now?.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static PlanRun Failed(IReadOnlyList<Diagnostic> problems) => new(null, null, null, 1) { Problems = problems };

    private static async Task<PlanRun> FailedAsync(TextWriter error, string code, string message, SourceSpan? at = null)
    {
        await error.WriteLineAsync($"error: {TerminalText.Printable(message)}");
        return Failed([RunProblem.Of(code, message, at)]);
    }

    public static string Json(Plan plan, string workingDirectory) => PlanRenderer.ToJson(plan, workingDirectory) + Environment.NewLine;

    /// <summary>The plan's text, coloured for a terminal that takes colours, written in pieces as it is rendered.</summary>
    public static void WriteText(TextWriter writer, Plan plan, CliEnvironment environment, ParseResult parse) =>
        PlanRenderer.WriteText(plan, writer, environment.UseColor && !parse.GetValue(GlobalOptions.NoColor) ? Colorize : null, environment.WorkingDirectory);

    private static string Colorize(string text) => string.Join('\n', text.Split('\n').Select(ColorizeLine));

    /// <summary>Change headers and the markers of field lines get Terraform's colours: create green, update yellow, delete red, adopt cyan.</summary>
    private static string ColorizeLine(string line)
    {
        var trimmed = line.TrimStart();
        var color = trimmed switch
        {
            _ when trimmed.StartsWith("<= ", StringComparison.Ordinal) => "36",
            _ when trimmed.StartsWith("+ ", StringComparison.Ordinal) => "32",
            _ when trimmed.StartsWith("~ ", StringComparison.Ordinal) => "33",
            _ when trimmed.StartsWith("- ", StringComparison.Ordinal) => "31",
            _ when trimmed.StartsWith("drift:", StringComparison.Ordinal) || line.StartsWith("Refused", StringComparison.Ordinal) => "35",
            _ => null,
        };
        return color is null ? line : $"\e[{color}m{line}\e[0m";
    }
}
