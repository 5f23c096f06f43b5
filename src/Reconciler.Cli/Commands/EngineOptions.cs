using System.CommandLine;
using Microsoft.Extensions.Logging;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Engine;
using Reconciler.Core.Guards;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;
using Reconciler.Platform.Client;

namespace Reconciler.Cli.Commands;

/// <summary>Options that plan, apply and export share, and the steps they share: validate, connect, plan.</summary>
internal sealed class EngineOptions
{
    public Option<string[]> Files { get; } = new("--filename", "-f")
    {
        Description = "Manifest files or folders (searched recursively for *.yaml and *.yml); - reads standard input.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
        HelpName = "file-or-folder",
    };

    public Option<string> Output { get; } = new("--output", "-o") { DefaultValueFactory = _ => "text" };

    public Option<bool> Prune { get; } = new("--prune") { Description = "Delete platform objects Reconciler manages that no manifest wants any more." };

    public Option<int?> MaxDeletes { get; } = new("--max-deletes") { Description = "Refuse a plan that deletes more objects than this (default 10, or the PlatformConnection's maxDeletes)." };

    public Option<bool> AllowEmptyKind { get; } = new("--allow-empty-kind") { Description = "Let prune delete every managed object of a kind." };

    public Option<string[]> Allow { get; } = new("--allow")
    {
        Description = $"Override guards that refuse the plan, comma-separated: {string.Join(", ", PlanGuards.Names)}.",
        HelpName = "guard[,guard]",
    };

    public Option<string?> PlatformUrl { get; } = new("--platform-url") { Description = "Admin API base URL, e.g. https://admin.example.com. Default: the embedded reference platform under .reconciler/. A PlatformConnection's url is not followed: the token goes only to a platform named here." };

    public Option<string?> TokenFile { get; } = new("--token-file");

    public Option<string?> Token { get; } = new("--token") { Description = "Admin API token as a flag; lands in shell history, prefer the environment or --token-file." };

    public Option<string?> SecretsDir { get; } = new("--secrets-dir") { Description = "Folder of secrets laid out as <name>/<key>, like a mounted Kubernetes Secret." };

    public Option<int?> RequestsPerSecond { get; } = new("--requests-per-second");

    /// <summary>As kubectl's <c>--request-timeout</c>: how long one request waits for its answer, 0 for no limit.</summary>
    public Option<string?> RequestTimeout { get; } = new("--request-timeout")
    {
        Description = "How long to wait for the platform to answer one request before giving up on it (default 30s; 0 waits without limit). A request the platform took and did not answer is not sent again; the run then starts nothing new.",
        HelpName = "duration",
    };

    /// <summary>Only <c>plan</c> takes it: a review of another time; apply always evaluates dated changes at the time it runs.</summary>
    public Option<string?> At { get; } = new("--at") { Description = "Evaluate dated changes (activeFrom, activeUntil, temporary) at this time instead of now: an RFC 3339 timestamp, or a date (start of that day in the organisation's time zone). For reviews; apply always uses now.", HelpName = "time" };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log every platform request to stderr." };

    public EngineOptions(params string[] formats)
    {
        formats = formats.Length == 0 ? ["text", "json"] : formats;
        Output.Description = $"Output format: {string.Join(", ", formats)}.";
        Output.OneOf(formats);
        Files.RefusingFlags();

        // Before the command runs: a warning that names the URL, said before the connection is made, would repeat a password in it.
        PlatformUrl.Validators.Add(result =>
        {
            if (result.Tokens is [.., var token] && PlatformAddress.Read(token.Value).Problem is { } problem)
                result.AddError(problem);
        });
        Allow.Validators.Add(result =>
        {
            if (PlanGuards.Parse(result.GetValueOrDefault<string[]>() ?? []).Unknown is { } unknown)
                result.AddError($"--allow: '{unknown}' is not a guard; guards are {string.Join(", ", PlanGuards.Names)}");
        });
        MaxDeletes.Number(value => value < 1 ? "--max-deletes must be at least 1; to delete nothing, leave out --prune." : null);
        RequestsPerSecond.Number(value => value < 0 ? "--requests-per-second must be 0 (no ceiling) or more." : null);
        RequestTimeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && RequestTimeoutOf(text) is null)
                result.AddError($"--request-timeout: '{text}' is not a duration of at least 1ms and at most 24 days (30s, 2m; 0 for no limit)");
        });
    }

    /// <summary>For a command that reads the platform with no manifests, so with no PlatformConnection to fall back on (template).</summary>
    public void AddPlatformOptionsTo(Command command) => AddConnectionOptionsTo(command, connectionFromManifests: false);

    private void AddConnectionOptionsTo(Command command, bool connectionFromManifests)
    {
        TokenFile.Description = connectionFromManifests
            ? "File holding the Admin API token (or set RECONCILER_PLATFORM_TOKEN; with neither, the PlatformConnection's tokenSecretRef)."
            : "File holding the Admin API token (or set RECONCILER_PLATFORM_TOKEN).";
        RequestsPerSecond.Description = $"Client-side request ceiling (default: {(connectionFromManifests ? "the PlatformConnection's, else none" : "none")}); below it the rate adapts to the platform's 429s.";
        command.Options.Add(PlatformUrl);
        command.Options.Add(TokenFile);
        command.Options.Add(Token);
        command.Options.Add(RequestsPerSecond);
        command.Options.Add(RequestTimeout);
        command.Options.Add(Verbose);
    }

    public void AddPlanOptionsTo(Command command)
    {
        command.Options.Add(Files);
        command.Options.Add(Output);
        command.Options.Add(Prune);
        command.Options.Add(MaxDeletes);
        command.Options.Add(AllowEmptyKind);
        command.Options.Add(Allow);
        command.Options.Add(SecretsDir);
        AddConnectionOptionsTo(command, connectionFromManifests: true);
    }

    /// <summary>
    /// For the commands that read the platform without planning (export, report): -f, optional there, names the
    /// manifests whose PlatformConnection gives the token (tokenSecretRef, with --secrets-dir) and the request rate, so
    /// that a pipeline reaches the platform with the same settings for them as for plan and apply.
    /// </summary>
    public void AddConnectionManifestOptionsTo(Command command)
    {
        Files.Required = false;
        Files.Description = "Manifest files or folders whose PlatformConnection gives the token (tokenSecretRef) and request rate, as for plan; - reads standard input.";
        command.Options.Add(Files);
        command.Options.Add(SecretsDir);
        AddConnectionOptionsTo(command, connectionFromManifests: true);
    }

    /// <summary>
    /// The connection of a command that only reads the platform, with the PlatformConnection of the manifests -f names
    /// when the command takes them (checked as plan checks them); null after writing why the command cannot go on.
    /// </summary>
    public async Task<ConnectionSettings?> ReadingConnectionAsync(ParseResult parse, CliEnvironment environment, TextWriter error)
    {
        PlatformConnection? declared = null;
        if (parse.GetResult(Files) is not null && parse.GetValue(Files) is { Length: > 0 } files)
        {
            if (LoadValid(files, environment, error) is not { } resources)
                return null;
            declared = resources.OfType<PlatformConnection>().FirstOrDefault();
        }

        var flag = parse.GetValue(PlatformUrl);
        if (UnconfirmedUrl(flag, declared) is { } unconfirmed)
        {
            await error.WriteLineAsync($"error: {unconfirmed}");
            return null;
        }

        if (OtherUrl(flag, declared) is { } other)
            await error.WriteLineAsync($"warning: {other}");
        return WithManifestToken(Connection(parse, declared?.Spec), declared?.Spec, parse.GetValue(SecretsDir), environment);
    }

    public ConnectionSettings Connection(ParseResult parse, PlatformConnectionSpec? connection) => new(
        parse.GetValue(PlatformUrl),
        parse.GetValue(Token),
        parse.GetValue(TokenFile),
        parse.GetValue(RequestsPerSecond) ?? connection?.RequestsPerSecond,
        parse.GetValue(Verbose) ? LogLevel.Debug : LogLevel.Warning)
    {
        RequestTimeout = parse.GetValue(RequestTimeout) is { } text ? RequestTimeoutOf(text) : null,
    };

    /// <summary>A request's time limit as the client takes it (0 is none, as kubectl reads it), or null when the text is no duration the client can time.</summary>
    private static TimeSpan? RequestTimeoutOf(string text) =>
        Durations.Parse(text) is not { } duration ? null
        : duration == TimeSpan.Zero ? Timeout.InfiniteTimeSpan
        : duration >= AdminApiClientOptionsValidator.MinAttemptTimeout && duration <= AdminApiClientOptionsValidator.MaxAttemptTimeout ? duration
        : null;

    /// <summary>
    /// The settings with the PlatformConnection's tokenSecretRef as the token's source, when a named platform needs one
    /// and neither a flag nor RECONCILER_PLATFORM_TOKEN gives it: those keep priority, so a run that has them is not
    /// changed by the manifests (and keeps the observation made while they loaded). The embedded platform needs no token.
    /// </summary>
    public static ConnectionSettings WithManifestToken(ConnectionSettings settings, PlatformConnectionSpec? connection, string? secretsDir, CliEnvironment environment) =>
        settings is { Url: not null, Token: null, TokenFile: null }
            && environment.GetVariable(PlatformSession.TokenVariable) is not { Length: > 0 }
            && connection?.TokenSecretRef is { } reference
            ? settings with { ManifestToken = new ManifestToken(reference, secretsDir is { } dir ? environment.Resolve(dir) : null) }
            : settings;

    /// <summary>
    /// Why a PlatformConnection's url cannot be where this run goes, or null when it names none or --platform-url does:
    /// the token comes from the environment (a CI secret), so a manifest (a pull request) naming a platform could send
    /// it to any server. The url is honoured by the operator, where the cluster's access rules guard the object.
    /// </summary>
    public static string? UnconfirmedUrl(string? flag, PlatformConnection? declared) =>
        flag is null && declared?.Spec.Url is { } url && !string.IsNullOrWhiteSpace(url)
            ? $"the manifests name the platform {url} (PlatformConnection/{declared.Metadata.Name}), and the CLI sends its token only to a platform named on its command line, so that a change to the manifests cannot send it elsewhere: pass --platform-url {url}"
            : null;

    /// <summary>The warning for a run whose --platform-url is not the platform its manifests name, or null.</summary>
    public static string? OtherUrl(string? flag, PlatformConnection? declared) =>
        flag is not null && declared?.Spec.Url is { } url && !string.IsNullOrWhiteSpace(url)
            && !string.Equals(flag.TrimEnd('/'), url.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
            ? $"the manifests name the platform {url} (PlatformConnection/{declared.Metadata.Name}); this run goes to {flag} (--platform-url)"
            : null;

    /// <summary>Validated manifests, or null after writing the diagnostics (nothing is sent to the platform then).</summary>
    public static IReadOnlyList<Resource>? LoadValid(IEnumerable<string> files, CliEnvironment environment, TextWriter error) =>
        Load(files, environment, error) is { IsValid: true } report ? report.Resources : null;

    /// <summary>The manifests' validation report, its diagnostics written to <paramref name="error"/> when it is not valid.</summary>
    public static ValidationReport Load(IEnumerable<string> files, CliEnvironment environment, TextWriter error)
    {
        var paths = files.Select(f => f == ManifestLoader.StandardInput ? f : environment.Resolve(f)).ToList();
        WaitingForStandardInput(paths, error);
        var report = ManifestValidator.Validate(paths);

        // Single files (no folder) are knowingly part of a larger set: what they reference from other files is looked up on
        // the platform. Standard input is a whole set (a render of one), as a folder is.
        if (paths.Count > 0 && paths.All(p => p != ManifestLoader.StandardInput && File.Exists(p)))
        {
            var elsewhere = report.Diagnostics.Where(d => d.Code == DiagnosticCodes.ReferenceNotFound).ToList();
            foreach (var d in elsewhere)
                error.WriteLine($"note: {Path.GetRelativePath(environment.WorkingDirectory, d.File)}:{d.Line}:{d.Column}: {d.Path}: not in the given files; looked up on the platform");
            report = report with { Diagnostics = [.. report.Diagnostics.Except(elsewhere)] };
        }

        if (!report.IsValid)
            error.Write(ReportFormatter.FormatText(report, environment.WorkingDirectory));
        return report;
    }

    /// <summary>Says so when <c>-f -</c> waits on a terminal, where nothing shows that it reads (kubectl is silent).</summary>
    public static void WaitingForStandardInput(IEnumerable<string> paths, TextWriter error)
    {
        if (paths.Contains(ManifestLoader.StandardInput) && !Console.IsInputRedirected)
            error.WriteLine("reading manifests from standard input; end them with Ctrl-D");
    }

    /// <summary>
    /// Safety settings: a manifest (a pull request) may make them stricter, never looser. Pruning needs --prune
    /// whatever the PlatformConnection says; its maxDeletes may lower the limit of 10, raising it needs --max-deletes.
    /// </summary>
    public PlanOptions PlanOptions(ParseResult parse, PlatformConnectionSpec? connection) => new()
    {
        Prune = parse.GetValue(Prune),
        MaxDeletes = parse.GetValue(MaxDeletes) ?? Math.Min(DefaultMaxDeletes, connection?.MaxDeletes ?? DefaultMaxDeletes),
        AllowEmptyKind = parse.GetValue(AllowEmptyKind),
        Guards = Guards(connection, PlanGuards.Parse(parse.GetValue(Allow) ?? []).Names),
    };

    /// <summary>The guards' limits from the PlatformConnection (else the defaults) and the guards allowed for this run.</summary>
    public static GuardPolicy Guards(PlatformConnectionSpec? connection, IReadOnlySet<string> allowed) => new()
    {
        MinAdmins = connection?.MinAdmins ?? GuardPolicy.DefaultMinAdmins,
        MaxRemovalFraction = connection?.RemovalFraction() ?? GuardPolicy.DefaultMaxRemovalFraction,
        Allowed = allowed,
    };

    /// <summary>The plan header's line naming the effective prune settings and where each comes from.</summary>
    public string SafetyHeader(ParseResult parse, PlatformConnectionSpec? connection)
    {
        var options = PlanOptions(parse, connection);
        var prune = options.Prune ? "on (--prune)"
            : connection?.Prune == true ? "off (the PlatformConnection asks for prune: true; only --prune turns it on)"
            : "off";
        var limit = parse.GetValue(MaxDeletes) is not null ? "--max-deletes"
            : connection is not null && connection.MaxDeletes < DefaultMaxDeletes ? "PlatformConnection maxDeletes"
            : connection?.MaxDeletes > DefaultMaxDeletes ? $"default; the PlatformConnection's {connection.MaxDeletes} needs --max-deletes to apply"
            : "default";
        return $"Prune: {prune}; max deletes: {options.MaxDeletes} ({limit}).";
    }

    /// <summary>
    /// The header's clause on drift when the PlatformConnection asks only to report it, else empty. driftPolicy is the
    /// operator's: its resyncs would revert edits nobody reviewed. A CLI run applies what its plan shows, each revert
    /// among it, as Terraform's apply or Argo CD's manual sync reverts drift whatever selfHeal says; a manifest does not
    /// change what the command does, and the header says so instead of leaving the reader to trust the manifest.
    /// </summary>
    public static string DriftHeader(PlatformConnectionSpec? connection) =>
        connection?.DriftPolicy == DriftPolicy.Report
            ? " Drift: reverted (the PlatformConnection asks for driftPolicy: Report, which is the operator's policy; the CLI applies the manifests and reverts drift whatever it says)."
            : "";

    private const int DefaultMaxDeletes = 10;

    public ISecretResolver Secrets(string? secretsDir, CliEnvironment environment) =>
        new CliSecretResolver(environment.GetVariable, secretsDir is { } dir ? environment.Resolve(dir) : null);
}
