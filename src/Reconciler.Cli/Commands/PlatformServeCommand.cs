using System.CommandLine;
using Microsoft.Extensions.Options;
using Reconciler.Cli.Plumbing;
using Reconciler.Platform;
using Reconciler.Platform.Client;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler platform serve</c>: runs the reference platform (the Admin API) until Ctrl+C.</summary>
internal static class PlatformServeCommand
{
    /// <summary>Environment variable holding the admin token; preferred over a file so it never lands on disk.</summary>
    public const string TokenEnvironmentVariable = "RECONCILER_PLATFORM_TOKEN";

    /// <summary>Principal name (the audit actor) of a token given by environment or file.</summary>
    public const string ConfiguredTokenPrincipal = "admin";

    /// <summary>Prefix of the stdout line carrying a generated token; tests and scripts look for it.</summary>
    public const string GeneratedTokenLinePrefix = "Admin token (generated for local use only): ";

    public static Command Create()
    {
        var urls = new Option<string[]>("--urls")
        {
            Description = "URLs to listen on (repeat or separate with ';'); port 0 picks a free port.",
            DefaultValueFactory = _ => ["http://127.0.0.1:8080"],
        };
        var database = new Option<string>("--database")
        {
            Description = "A SQLite file path (default) or a PostgreSQL connection string (Host=…;… or postgres://…).",
            DefaultValueFactory = _ => "reconciler-platform.db",
        };
        var tokenFile = new Option<FileInfo?>("--token-file")
        {
            Description = $"File holding the admin token (admin:read + admin:write). Default: ${TokenEnvironmentVariable}, else a generated token printed once.",
        };
        var fault503 = new Option<double>("--fault-503-rate")
        {
            Description = "Demo fault injection: share (0..1) of API requests answered 503 with Retry-After.",
        };
        var faultLatency = new Option<int>("--fault-latency-ms")
        {
            Description = "Demo fault injection: milliseconds added to every API request.",
        };
        var faultDrop = new Option<double>("--fault-drop-after-commit-rate")
        {
            Description = "Demo fault injection: share (0..1) of successful mutations whose connection is dropped after the commit.",
        };

        var config = new Option<FileInfo?>("--config")
        {
            Description = "JSON file with tokens ([{name, scopes, tokenFile | tokenEnvironmentVariable}]), rateLimit {permitsPerSecond, burst} and idempotencyKeyLifetime; flags override it.",
        };
        var tokens = new Option<string[]>("--token")
        {
            Description = "A scoped token, repeatable: name=scim,scopes=admin:read,file=scim.token (scopes joined by '+'; env=VARIABLE instead of file).",
            AllowMultipleArgumentsPerToken = false,
        };
        var rateLimit = new Option<int?>("--rate-limit") { Description = "Requests per second allowed per token (default 2000; 0 turns the limit off)." };
        var rateBurst = new Option<int?>("--rate-limit-burst") { Description = "Requests a token may burst above the steady rate (default: twice --rate-limit)." };
        var idempotencyLifetime = new Option<string?>("--idempotency-key-lifetime") { Description = "How long a create's Idempotency-Key is replayed: 24h (default), 90m, 30s or hh:mm:ss." };

        // Checked by the parser, so that a wrong value is a usage error like any other, named by its flag, before anything starts.
        fault503.Number(rate => rate is < 0 or > 1 ? "--fault-503-rate must be between 0 and 1." : null);
        faultLatency.Number(milliseconds => milliseconds < 0 ? "--fault-latency-ms must not be negative." : null);
        faultDrop.Number(rate => rate is < 0 or > 1 ? "--fault-drop-after-commit-rate must be between 0 and 1." : null);
        rateLimit.Number(perSecond => perSecond < 0 ? "--rate-limit must be 0 (no limit) or more." : null);
        rateBurst.Number(size => size < 1 ? "--rate-limit-burst must be at least 1." : null);
        urls.Validators.Add(result =>
        {
            foreach (var problem in ListenAddress.Split(result.GetValueOrDefault<string[]>()).Select(ListenAddress.Problem).OfType<string>())
                result.AddError(problem);
        });

        var serve = new Command("serve", "Run the reference platform server (Admin API, audit trail, /healthz) until Ctrl+C.")
        {
            urls, database, tokenFile, config, tokens, rateLimit, rateBurst, idempotencyLifetime, fault503, faultLatency, faultDrop,
        };

        serve.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;

            PlatformToken? token;
            try
            {
                token = ReadConfiguredToken(parseResult.GetValue(tokenFile));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: cannot read the token file {parseResult.GetValue(tokenFile)}: {ex.Message}");
                return 1;
            }

            var (settings, problem) = parseResult.GetValue(config) is { } file ? PlatformServeSettings.Load(file.FullName) : (new PlatformServeSettings(), null);
            var scoped = new List<PlatformServeSettings.TokenSetting>(settings?.Tokens ?? []);
            foreach (var text in parseResult.GetValue(tokens) ?? [])
            {
                var (parsed, tokenProblem) = PlatformServeSettings.ParseToken(text);
                problem ??= tokenProblem;
                if (parsed is not null)
                    scoped.Add(parsed);
            }

            var (configured, tokensProblem) = PlatformServeSettings.ResolveTokens(scoped, Environment.GetEnvironmentVariable);
            problem ??= tokensProblem;
            var lifetimeText = parseResult.GetValue(idempotencyLifetime) ?? settings?.IdempotencyKeyLifetime;
            var lifetime = Durations.Parse(lifetimeText);
            if (lifetimeText is not null && lifetime is null)
                problem ??= $"idempotency key lifetime '{lifetimeText}' is not a duration (24h, 90m, 30s or hh:mm:ss)";
            if (problem is not null)
            {
                await error.WriteLineAsync($"error: {problem}");
                return 1;
            }

            var permits = parseResult.GetValue(rateLimit) ?? settings?.RateLimit?.PermitsPerSecond;
            var burst = parseResult.GetValue(rateBurst) ?? settings?.RateLimit?.Burst;
            var rate = new RateLimitOptions();
            if (permits is { } perSecond)
                rate = perSecond == 0 ? new RateLimitOptions { Enabled = false } : new RateLimitOptions { PermitsPerSecond = perSecond, Burst = burst ?? perSecond * 2 };
            else if (burst is { } size)
                rate.Burst = size;

            DatabaseOptions store;
            try
            {
                store = DatabaseOptions.Parse(parseResult.GetValue(database)!);
            }
            catch (PlatformDatabaseException ex)
            {
                await error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }

            var options = new PlatformServerOptions
            {
                Urls = ListenAddress.Split(parseResult.GetValue(urls)!),
                Database = store,
                Tokens = [.. token is null ? [] : new[] { token }, .. configured],
                RateLimit = rate,
                IdempotencyKeyLifetime = lifetime ?? TimeSpan.FromHours(24),
                Faults = new FaultInjectionOptions
                {
                    ServiceUnavailableRate = parseResult.GetValue(fault503),
                    AddedLatency = TimeSpan.FromMilliseconds(parseResult.GetValue(faultLatency)),
                    DropAfterCommitRate = parseResult.GetValue(faultDrop),
                },
            };

            RunningPlatform platform;
            try
            {
                platform = await PlatformServer.StartAsync(options, cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures)
                {
                    await error.WriteLineAsync($"error: {failure}");
                }

                return 1;
            }
            catch (PlatformDatabaseException ex)
            {
                // Its message names the database as given (a PostgreSQL one without its password) and what is wrong.
                await error.WriteLineAsync(Environment.GetEnvironmentVariable("RECONCILER_DEBUG") == "1" ? ex.ToString() : $"error: {ex.Message}");
                return 1;
            }

            await using (platform)
            {
                foreach (var url in platform.Urls)
                {
                    await output.WriteLineAsync($"Listening on {url} (API: {url.TrimEnd('/')}/api/v1, health: {url.TrimEnd('/')}/healthz)");
                }

                // Never echo the connection string: a PostgreSQL one may carry a password.
                await output.WriteLineAsync($"Database: {options.Database.Provider}");
                foreach (var configuredToken in options.Tokens)
                    await output.WriteLineAsync($"Token: {configuredToken}");
                await output.WriteLineAsync(options.RateLimit.Enabled
                    ? $"Rate limit: {options.RateLimit.PermitsPerSecond} requests/s per token, burst {options.RateLimit.Burst}"
                    : "Rate limit: off");
                if (platform.AdminTokenGenerated)
                {
                    // Printed once, on stdout only (never logged), so a developer can copy it; it dies with the process.
                    await output.WriteLineAsync(GeneratedTokenLinePrefix + platform.AdminToken);
                    await output.WriteLineAsync($"  (set {TokenEnvironmentVariable} or --token-file to use your own token anywhere but on this machine)");
                }

                await output.WriteLineAsync("Press Ctrl+C to stop.");
                await output.FlushAsync(cancellationToken);

                // Ctrl+C / SIGTERM cancels the token (System.CommandLine) and stops the host (console lifetime):
                // either way in-flight requests finish before the database is closed.
                await platform.WaitForShutdownAsync(cancellationToken);
            }

            await output.WriteLineAsync("Stopped.");
            return 0;
        });

        return new Command("platform", "The reference platform: a self-hosted Admin API to reconcile against.")
        {
            serve,
        };
    }

    /// <summary>An explicit <c>--token-file</c> wins over the environment variable (the more specific setting wins).</summary>
    internal static PlatformToken? ReadConfiguredToken(FileInfo? file)
    {
        var value = file is not null ? FileTokenProvider.Read(file.FullName) : Environment.GetEnvironmentVariable(TokenEnvironmentVariable)?.Trim();

        return string.IsNullOrEmpty(value)
            ? null
            : PlatformToken.Admin(ConfiguredTokenPrincipal, value) with { Source = file is not null ? $"the file {file}" : $"the environment variable {TokenEnvironmentVariable}" };
    }
}
