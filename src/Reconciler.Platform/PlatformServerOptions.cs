using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform;

/// <summary>Which database the platform stores its objects in.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database reached by an Npgsql connection string.</summary>
    Postgres,
}

/// <summary>Everything needed to start the reference platform server.</summary>
public sealed class PlatformServerOptions
{
    /// <summary>Kestrel URLs; port 0 picks a free port. Defaults to loopback for embedding.</summary>
    public IList<string> Urls { get; set; } = ["http://127.0.0.1:0"];

    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Bearer tokens; when empty a random admin token is generated (see <see cref="RunningPlatform.AdminToken"/>).</summary>
    public IList<PlatformToken> Tokens { get; set; } = [];

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>How long a create's idempotency record is replayed (Stripe keeps them 24 hours); after that the key is forgotten.</summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    public FaultInjectionOptions Faults { get; set; } = new();

    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Extra logging configuration (providers, filters); console logging is added when null.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>The clock; tests may substitute one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Whether Ctrl+C and SIGTERM stop the server once it is ready, letting requests in flight finish, as they stop a
    /// server that is a process of its own; off for a platform embedded in a command that answers the signals itself,
    /// which the server would otherwise keep from it (Ctrl+C at apply's question did nothing while the embedded platform ran).
    /// </summary>
    public bool StopsOnSignals { get; set; } = true;
}

/// <summary>Storage settings: SQLite file by default, PostgreSQL by connection string.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>For SQLite, a file path or a full connection string; for PostgreSQL, an Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = "reconciler-platform.db";

    /// <summary>Parses the CLI's <c>--database</c> value: <c>postgres://…</c>, <c>Host=…</c> (Npgsql) or a SQLite path.</summary>
    public static DatabaseOptions Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (value.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql:", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = PostgresUrlToConnectionString(value) };
        }

        if (value.Contains("Host=", StringComparison.OrdinalIgnoreCase) || value.Contains("Server=", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = value };
        }

        var path = value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? value["sqlite:".Length..] : value;
        return new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = path };
    }

    private static string PostgresUrlToConnectionString(string url)
    {
        // The URL is not repeated: it may carry the password.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new PlatformDatabaseException("the PostgreSQL URL", "it is not a URL of the form postgres://user:password@host:port/database", null);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = uri.AbsolutePath.Trim('/'),
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        return builder.ConnectionString;
    }
}

/// <summary>A configured bearer token: who it is (<see cref="Name"/>, the audit actor) and what it may do.</summary>
public sealed record PlatformToken(string Name, string Token, IReadOnlyList<string> Scopes)
{
    public static PlatformToken Admin(string name, string token) => new(name, token, [AdminApi.ReadScope, AdminApi.WriteScope]);

    /// <summary>
    /// Where the value was read (<c>the environment variable X</c>, <c>the file F</c>), for messages about it: a principal's
    /// name alone sent the person who set a variable looking for a principal they never named. Never the value itself.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>Never prints the token itself.</summary>
    public override string ToString() => $"{Name} [{string.Join(' ', Scopes)}]";
}

/// <summary>Per-token token-bucket rate limit; generous by default.</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Requests allowed per second (refill rate) per token.</summary>
    public int PermitsPerSecond { get; set; } = 2000;

    /// <summary>Bucket size: how many requests may burst above the steady rate.</summary>
    public int Burst { get; set; } = 4000;
}

/// <summary>Fault injection for exercising clients' retries; everything is off by default.</summary>
public sealed class FaultInjectionOptions
{
    /// <summary>Share (0..1) of API requests answered 503 with Retry-After before anything is done.</summary>
    public double ServiceUnavailableRate { get; set; }

    /// <summary>Retry-After (seconds) sent with injected 503s.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Latency added to every API request.</summary>
    public TimeSpan AddedLatency { get; set; } = TimeSpan.Zero;

    /// <summary>Share (0..1) of successful mutations whose connection is dropped after the commit.</summary>
    public double DropAfterCommitRate { get; set; }

    /// <summary>Seed of the fault generator; a fixed seed makes the fault sequence deterministic.</summary>
    public int? Seed { get; set; }

    internal bool Any => ServiceUnavailableRate > 0 || AddedLatency > TimeSpan.Zero || DropAfterCommitRate > 0;
}

/// <summary>Validates <see cref="PlatformServerOptions"/> at start.</summary>
public sealed partial class PlatformServerOptionsValidator : IValidateOptions<PlatformServerOptions>
{
    public ValidateOptionsResult Validate(string? name, PlatformServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Urls.Count == 0)
        {
            failures.Add("At least one URL is required.");
        }

        foreach (var url in options.Urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                failures.Add($"URL '{url}' is not an absolute http(s) URL.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            failures.Add("Database connection string (or SQLite path) is required.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        // The authenticator takes one principal per token value: two principals sharing a value would have every request
        // with it acted and audited as whichever was configured last, whatever the holder was given.
        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in options.Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Name))
            {
                failures.Add("Every token needs a principal name.");
            }
            else if (!PrincipalName().IsMatch(token.Name))
            {
                // Printed at start and recorded as the actor of every audit event: a control character would reach terminals and reviews.
                failures.Add($"Token principal \"{JsonEncodedText.Encode(token.Name)}\" is not a principal name: expected letters, digits and . _ - @ : (at most 128).");
                continue;
            }
            else if (!names.Add(token.Name))
            {
                failures.Add($"Token principal '{token.Name}' is configured twice.");
            }

            if (string.IsNullOrEmpty(token.Token) || token.Token.Length < 16)
            {
                failures.Add($"Token of {Named(token)} must be at least 16 characters.");
            }
            else if (!holders.TryAdd(token.Token, token.Name))
            {
                failures.Add($"Token of {Named(token)} is the token of '{holders[token.Token]}' too; each principal needs its own token.");
            }

            if (token.Scopes.Count == 0)
            {
                failures.Add($"Token of {Named(token)} has no scope, so every request with it would be refused; give it {AdminApi.ReadScope}, {AdminApi.WriteScope} or both.");
            }

            foreach (var scope in token.Scopes)
            {
                if (scope is not (AdminApi.ReadScope or AdminApi.WriteScope))
                {
                    failures.Add($"Token of {Named(token)} has unknown scope '{scope}'.");
                }
            }
        }

        if (options.IdempotencyKeyLifetime <= TimeSpan.Zero)
        {
            failures.Add("IdempotencyKeyLifetime must be positive.");
        }

        if (options.RateLimit.Enabled && (options.RateLimit.PermitsPerSecond <= 0 || options.RateLimit.Burst <= 0))
        {
            failures.Add("Rate limit PermitsPerSecond and Burst must be positive.");
        }

        var faults = options.Faults;
        if (faults.ServiceUnavailableRate is < 0 or > 1 || faults.DropAfterCommitRate is < 0 or > 1)
        {
            failures.Add("Fault rates must be between 0 and 1.");
        }

        if (faults.AddedLatency < TimeSpan.Zero || faults.RetryAfterSeconds < 0)
        {
            failures.Add("Fault latency and Retry-After must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The token's principal, and where its value came from when that is known.</summary>
    private static string Named(PlatformToken token) => token.Source is { } source ? $"'{token.Name}' (from {source})" : $"'{token.Name}'";

    [System.Text.RegularExpressions.GeneratedRegex(@"^[\p{L}\p{Nd}._@:-]{1,128}$")]
    private static partial System.Text.RegularExpressions.Regex PrincipalName();
}
