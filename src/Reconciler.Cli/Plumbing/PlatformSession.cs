using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reconciler.Core.Platform;
using Reconciler.Platform;
using Reconciler.Platform.Client;

namespace Reconciler.Cli.Plumbing;

/// <summary>How to reach the platform, as the user asked for it.</summary>
internal sealed record ConnectionSettings(string? Url, string? Token, string? TokenFile, int? RequestsPerSecond, LogLevel LogLevel);

/// <summary>A platform client for one command, over loopback HTTP to the embedded platform when no URL was given.</summary>
internal sealed class PlatformSession : IAsyncDisposable
{
    public const string TokenVariable = "RECONCILER_PLATFORM_TOKEN";

    /// <summary>The audit trail's actor for changes made through the embedded platform.</summary>
    public const string EmbeddedPrincipal = "reconciler-cli";

    private readonly ServiceProvider _services;
    private readonly RunningPlatform? _embedded;

    private PlatformSession(ServiceProvider services, RunningPlatform? embedded)
    {
        _services = services;
        _embedded = embedded;
        Client = services.GetRequiredService<IPlatformClient>();
    }

    public IPlatformClient Client { get; }

    /// <summary>Starts the embedded platform if needed and builds the client; user errors come back as a message.</summary>
    public static async Task<(PlatformSession? Session, string? Error)> OpenAsync(ConnectionSettings settings, CliEnvironment environment, TextWriter error, CancellationToken cancellationToken)
    {
        RunningPlatform? embedded = null;
        ITokenProvider tokens;
        Uri url;
        var rate = settings.RequestsPerSecond;
        if (settings.Url is null)
        {
            var database = Path.Combine(environment.WorkingDirectory, ".reconciler", "platform.db");
            Directory.CreateDirectory(Path.GetDirectoryName(database)!);
            var sessionToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            embedded = await PlatformServer.StartAsync(new PlatformServerOptions
            {
                Urls = ["http://127.0.0.1:0"],
                Tokens = [PlatformToken.Admin(EmbeddedPrincipal, sessionToken)],
                Database = new DatabaseOptions { ConnectionString = database },

                // stdout carries the plan (and -o json); the platform's own logs go where the CLI's go: stderr.
                ConfigureLogging = environment.ConfigureLogging,
            }, cancellationToken);
            url = embedded.BaseUrl;
            tokens = new StaticTokenProvider(sessionToken);
            rate ??= 0;
            await error.WriteLineAsync($"Using the embedded reference platform at {url} (data in {Path.GetRelativePath(environment.WorkingDirectory, database)}); pass --platform-url to use another.");
        }
        else
        {
            if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
                return (null, $"--platform-url '{settings.Url}' is not an absolute http(s) URL");
            url = parsed.AbsoluteUri.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
            if (settings.Token is not null)
            {
                await error.WriteLineAsync("warning: --token leaves the token in your shell history; prefer RECONCILER_PLATFORM_TOKEN or --token-file.");
                tokens = new StaticTokenProvider(settings.Token);
            }
            else if (settings.TokenFile is not null)
            {
                var file = environment.Resolve(settings.TokenFile);
                if (!File.Exists(file))
                    return (null, $"token file {settings.TokenFile} does not exist");
                tokens = new FileTokenProvider(file);
            }
            else if (environment.GetVariable(TokenVariable) is { Length: > 0 } token)
            {
                tokens = new StaticTokenProvider(token);
            }
            else
            {
                return (null, $"no platform token: set {TokenVariable} or pass --token-file");
            }

            // No budget unless one is asked for: the client's adaptive rate follows the platform's 429s.
            rate ??= 0;
        }

        var collection = new ServiceCollection();
        collection.AddLogging(logging =>
        {
            logging.SetMinimumLevel(settings.LogLevel);

            // -v shows the client's own line per attempt; Polly's logger would add a stack trace to each.
            logging.AddFilter("Polly", LogLevel.None);
            environment.ConfigureLogging(logging);
        });
        collection.AddSingleton(TimeProvider.System);
        collection.AddAdminApiClient(options =>
        {
            options.BaseUrl = url;
            options.TokenProvider = tokens;
            options.RequestsPerSecond = rate.Value;
        });

        // HttpClientFactory's logging handlers would repeat the client's line with a stack trace, and even with their
        // output filtered out they open a scope and format around every request: a first apply sends one per resource.
        collection.ConfigureHttpClientDefaults(client => client.RemoveAllLoggers());
        return (new PlatformSession(collection.BuildServiceProvider(), embedded), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_embedded is not null)
            await _embedded.DisposeAsync();
    }
}
