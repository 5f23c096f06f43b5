using System.CommandLine;
using Reconciler.Cli.Engine;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler plan -f DIR</c>: what apply would change; <c>--detailed-exitcode</c> gives 0 none, 1 error, 2 changes.</summary>
internal static class PlanCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var options = new EngineOptions();
        var detailed = new Option<bool>("--detailed-exitcode") { Description = "Exit 0 when nothing would change, 1 on error, 2 when something would change." };
        var command = new Command("plan", """
            Show what apply would change on the platform, without changing anything.

            Examples:
              reconciler plan -f examples/acme-support
              reconciler plan -f org/ --platform-url https://admin.example.com --detailed-exitcode   # CI: 2 = changes
              reconciler plan -f org/ -o json > plan.json
            """) { detailed };
        options.AddPlanOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var planned = await PlanRun.CreateAsync(options, parse, environment, error, cancellationToken);
            if (planned.ExitCode is { } failed)
                return failed;
            await using var session = planned.Session!;
            var plan = planned.Run!.Plan;
            if (parse.GetValue(options.Output) == "json")
            {
                await error.WriteLineAsync(planned.SafetyHeader);
                await output.WriteAsync(PlanRun.Json(plan));
            }
            else
            {
                await output.WriteLineAsync(planned.SafetyHeader);
                await output.WriteAsync(PlanRun.Text(plan, environment));
            }

            if (plan.Errors.Count > 0 || plan.IsBlocked)
                return 1;
            return parse.GetValue(detailed) && plan.HasChanges ? 2 : 0;
        });
        return command;
    }
}

/// <summary>The steps plan and apply share: validate, connect, observe and plan.</summary>
internal sealed record PlanRun(PlatformSession? Session, PlannedRun? Run, ReconcileEngine? Engine, string? GitRevision, int? ExitCode)
{
    /// <summary>The effective prune settings and their source, stated above the plan.</summary>
    public string? SafetyHeader { get; init; }

    public static async Task<PlanRun> CreateAsync(EngineOptions options, ParseResult parse, CliEnvironment environment, TextWriter error, CancellationToken cancellationToken)
    {
        var files = parse.GetValue(options.Files) ?? [];
        var resources = EngineOptions.LoadValid(files, environment, error);
        if (resources is null)
            return Failed();
        var connection = resources.OfType<PlatformConnection>().FirstOrDefault()?.Spec;
        var (session, problem) = await PlatformSession.OpenAsync(options.Connection(parse, connection), environment, error, cancellationToken);
        if (session is null)
        {
            await error.WriteLineAsync($"error: {problem}");
            return Failed();
        }

        var engine = new ReconcileEngine(session.Client, options.Secrets(parse, environment));
        var planned = await engine.PlanAsync(resources, options.PlanOptions(parse, connection), cancellationToken);
        if (!planned.IsOk)
        {
            await error.WriteLineAsync($"error: cannot observe the platform: {planned.Message}");
            await session.DisposeAsync();
            return Failed();
        }

        var revision = files.Length > 0 ? Cli.Engine.GitRevision.Detect(environment.Resolve(files[0])) : null;
        return new PlanRun(session, planned.Value, engine, revision, null) { SafetyHeader = options.SafetyHeader(parse, connection) };
    }

    private static PlanRun Failed() => new(null, null, null, null, 1);

    public static string Json(Plan plan) => PlanRenderer.ToJson(plan) + Environment.NewLine;

    public static string Text(Plan plan, CliEnvironment environment)
    {
        var text = PlanRenderer.ToText(plan);
        return environment.UseColor ? Colorize(text) : text;
    }

    private static string Colorize(string text) => string.Join('\n', text.Split('\n').Select(ColorizeLine));

    private static string ColorizeLine(string line)
    {
        var trimmed = line.TrimStart();

        // Only change headers ("  + Kind/name", two spaces in) carry a symbol; list items inside field values start with "- " too.
        var header = line.Length - trimmed.Length == 2;
        var color = trimmed switch
        {
            _ when header && trimmed.StartsWith("<=", StringComparison.Ordinal) => "36",
            _ when header && trimmed.StartsWith('+') => "32",
            _ when header && trimmed.StartsWith('~') => "33",
            _ when header && trimmed.StartsWith('-') => "31",
            _ when trimmed.StartsWith("drift:", StringComparison.Ordinal) || line.StartsWith("Refused", StringComparison.Ordinal) => "35",
            _ => null,
        };
        return color is null ? line : $"\e[{color}m{line}\e[0m";
    }
}
