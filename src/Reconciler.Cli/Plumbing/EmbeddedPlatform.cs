using System.Security.Cryptography;
using Reconciler.Platform;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// The reference platform a command starts under .reconciler/ when no URL was given. Kept apart from
/// <see cref="PlatformSession"/> so that a run with --platform-url never loads Reconciler.Platform (and ASP.NET Core).
/// </summary>
internal sealed class EmbeddedPlatform : IAsyncDisposable
{
    private readonly RunningPlatform _running;

    private EmbeddedPlatform(RunningPlatform running, string token)
    {
        _running = running;
        Token = token;
    }

    public Uri BaseUrl => _running.BaseUrl;

    /// <summary>The admin token made for this session alone.</summary>
    public string Token { get; }

    /// <summary>
    /// Starts the platform on <paramref name="database"/>; a database it cannot use (not a SQLite file, unreadable) comes
    /// back as one line naming the file relative to the working directory, the whole exception with RECONCILER_DEBUG=1.
    /// </summary>
    public static async Task<(EmbeddedPlatform? Platform, string? Error)> StartAsync(string database, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        try
        {
            var running = await PlatformServer.StartAsync(new PlatformServerOptions
            {
                Urls = ["http://127.0.0.1:0"],
                Tokens = [PlatformToken.Admin(PlatformSession.EmbeddedPrincipal, token)],
                Database = new DatabaseOptions { ConnectionString = database },

                // stdout carries the plan (and -o json); the platform's own logs go where the CLI's go: stderr.
                ConfigureLogging = environment.ConfigureLogging,

                // Ctrl+C and SIGTERM are the command's: apply stops gracefully, or ends at its question.
                StopsOnSignals = false,
            }, cancellationToken);
            return (new EmbeddedPlatform(running, token), null);
        }
        catch (PlatformDatabaseException e)
        {
            return (null, environment.GetVariable("RECONCILER_DEBUG") == "1"
                ? e.ToString()
                : $"{Path.GetRelativePath(environment.WorkingDirectory, database)}: cannot open the platform's database: {e.Problem}");
        }
    }

    public ValueTask DisposeAsync() => _running.DisposeAsync();
}
