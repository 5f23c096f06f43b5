using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reconciler.Core.Manifests;
using Reconciler.Core.Platform;
using Reconciler.Platform.Client;

namespace Reconciler.Cli.Plumbing;

/// <summary>How to reach the platform, as the user asked for it.</summary>
internal sealed record ConnectionSettings(string? Url, string? Token, string? TokenFile, int? RequestsPerSecond, LogLevel LogLevel)
{
    /// <summary>The PlatformConnection's tokenSecretRef, the token's source when no flag or variable gives one.</summary>
    public ManifestToken? ManifestToken { get; init; }

    /// <summary>How long one request waits for its answer (<c>--request-timeout</c>); null for the client's default.</summary>
    public TimeSpan? RequestTimeout { get; init; }
}

/// <summary>A platform client for one command, over loopback HTTP to the embedded platform when no URL was given.</summary>
internal sealed class PlatformSession : IAsyncDisposable
{
    public const string TokenVariable = "RECONCILER_PLATFORM_TOKEN";

    /// <summary>The audit trail's actor for changes made through the embedded platform.</summary>
    public const string EmbeddedPrincipal = "reconciler-cli";

    /// <summary>The embedded platform's database in the state folder, and the journal files SQLite opens beside it as it opens the database.</summary>
    private static readonly string[] DatabaseFiles = ["platform.db", "platform.db-wal", "platform.db-shm", "platform.db-journal"];

    private readonly HttpClient _http;
    private readonly PlatformClientMetrics _metrics;
    private readonly DeferredLoggerFactory _logging;
    private readonly EmbeddedPlatform? _embedded;

    private PlatformSession(AdminApiClient client, HttpClient http, PlatformClientMetrics metrics, DeferredLoggerFactory logging, EmbeddedPlatform? embedded)
    {
        Client = client;
        _http = http;
        _metrics = metrics;
        _logging = logging;
        _embedded = embedded;
    }

    public IPlatformClient Client { get; }

    /// <summary>Starts the embedded platform if needed and builds the client; user errors come back as a message.</summary>
    public static async Task<(PlatformSession? Session, string? Error)> OpenAsync(ConnectionSettings settings, CliEnvironment environment, TextWriter error, CancellationToken cancellationToken)
    {
        EmbeddedPlatform? embedded = null;
        ITokenProvider tokens;
        Uri url;
        if (settings.Token is not null && settings.TokenFile is not null)
            return (null, "--token and --token-file both name a token; give one");
        if (settings.Url is null)
        {
            // A token is for a platform named on the command line: without one, a CI job whose URL variable went missing
            // would plan, or apply, against an empty local platform and succeed.
            if ((settings.Token is not null ? "--token" : settings.TokenFile is not null ? "--token-file" : null) is { } given)
                return (null, $"{given} names a token, but no --platform-url says which platform it is for; pass --platform-url (without it the CLI uses the embedded reference platform, which needs no token)");
            if (environment.GetVariable(TokenVariable) is { Length: > 0 })
                await error.WriteLineAsync($"warning: {TokenVariable} is set, but no --platform-url is given: using the embedded reference platform, not the one the token is for.");
            if (StateFolder.Problem(environment.WorkingDirectory, DatabaseFiles) is { } unusable)
                return (null, unusable);
            var database = Path.Combine(StateFolder.Of(environment.WorkingDirectory), DatabaseFiles[0]);
            Directory.CreateDirectory(Path.GetDirectoryName(database)!);
            (embedded, var problem) = await EmbeddedPlatform.StartAsync(database, environment, cancellationToken);
            if (embedded is null)
                return (null, problem);
            url = embedded.BaseUrl;
            tokens = new StaticTokenProvider(embedded.Token);
            await error.WriteLineAsync($"Using the embedded reference platform at {url} (data in {Path.GetRelativePath(environment.WorkingDirectory, database)}); pass --platform-url to use another.");
        }
        else
        {
            var (read, unusable) = PlatformAddress.Read(settings.Url);
            if (read is null)
                return (null, unusable);
            url = read;
            if (settings.Token is not null)
            {
                await error.WriteLineAsync("warning: --token leaves the token in your shell history; prefer RECONCILER_PLATFORM_TOKEN or --token-file.");
                tokens = new StaticTokenProvider(settings.Token);
            }
            else if (settings.TokenFile is not null)
            {
                var file = environment.Resolve(settings.TokenFile);
                // A folder is read below, which says what it is.
                if (FileKinds.Of(file) is FileKind.None)
                    return (null, $"token file {settings.TokenFile} does not exist");
                tokens = new FileTokenProvider(file);

                // Read once before anything else, so that a file that cannot be a token stops the command here, in one line.
                try
                {
                    await tokens.GetTokenAsync(cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return (null, $"cannot read the token file {settings.TokenFile}: {e.Message}");
                }
            }
            else if (environment.GetVariable(TokenVariable) is { Length: > 0 } token)
            {
                tokens = new StaticTokenProvider(token);
            }
            else if (settings.ManifestToken is { } manifest)
            {
                // The value is never part of a message: the resolver's says only where it looked.
                var lookup = await new CliSecretResolver(environment.GetVariable, manifest.SecretsDirectory).ResolveAsync(manifest.Reference, cancellationToken);
                if (lookup.Value is null)
                    return (null, $"no platform token: set {TokenVariable} or pass --token-file, or give the PlatformConnection's tokenSecretRef a value ({lookup.Error})");
                tokens = new StaticTokenProvider(lookup.Value);
            }
            else
            {
                return (null, $"no platform token: set {TokenVariable} or pass --token-file");
            }
        }

        // No budget unless one is asked for: the client's adaptive rate follows the platform's 429s.
        var options = new AdminApiClientOptions { BaseUrl = url, TokenProvider = tokens, RequestsPerSecond = settings.RequestsPerSecond ?? 0 };
        if (settings.RequestTimeout is { } timeout)
            options.AttemptTimeout = timeout;
        AdminApiClientOptionsValidator.ThrowIfInvalid(options);
        return (Connect(Options.Create(options), settings.LogLevel, environment, embedded), null);
    }

    /// <summary>
    /// The client built directly, as the operator builds its own: a command makes one client and keeps it, so
    /// IHttpClientFactory's handler rotation never happened, and dependency injection cost a short run more in type
    /// loading and reflection than the requests themselves. No logging handlers either: they would repeat the client's
    /// line with a stack trace, and open a scope around every request.
    /// </summary>
    private static PlatformSession Connect(IOptions<AdminApiClientOptions> options, LogLevel level, CliEnvironment environment, EmbeddedPlatform? embedded)
    {
        var logging = new DeferredLoggerFactory(level, logging =>
        {
            // -v shows the client's own line per attempt; Polly's logger would add a stack trace to each.
            logging.AddFilter("Polly", LogLevel.None);
            environment.ConfigureLogging(logging);
        });
        var metrics = new PlatformClientMetrics();
        var resilience = new AdminApiResilience(options, TimeProvider.System, metrics, logging.CreateLogger<AdminApiResilience>());

        // No propagator, so no DiagnosticsHandler: it started an Activity per request (under the run's span) only to
        // find the trace headers ReconcilerTracing.Propagate had already put on the request.
        var handler = AdminApiClient.CreateHandler(options.Value);
        handler.ActivityHeadersPropagator = null;
        var http = new HttpClient(handler);
        return new PlatformSession(new AdminApiClient(http, options, resilience, metrics, logging.CreateLogger<AdminApiClient>()), http, metrics, logging, embedded);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _metrics.Dispose();
        _logging.Dispose();
        if (_embedded is not null)
            await _embedded.DisposeAsync();
    }
}
