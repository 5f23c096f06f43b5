using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reconciler.Platform.Api;
using Reconciler.Platform.Auth;
using Reconciler.Platform.Catalog;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Diagnostics;
using Reconciler.Platform.Faults;
using Reconciler.Platform.Resources;
using Reconciler.Platform.Storage;

namespace Reconciler.Platform;

/// <summary>Starts the reference platform server (the Admin API) in-process.</summary>
public static class PlatformServer
{
    /// <summary>Principal name of the token generated when none is configured.</summary>
    public const string GeneratedTokenPrincipal = "local-admin";

    /// <summary>
    /// Validates the options, starts listening (answering 503 with Retry-After meanwhile), migrates the database and
    /// seeds built-ins; returns once requests are served. Dispose the result to stop.
    /// </summary>
    /// <exception cref="PlatformDatabaseException">The database cannot be opened or migrated; nothing was written to it.</exception>
    /// <exception cref="IOException">An address cannot be bound (Kestrel's "Failed to bind to address …").</exception>
    public static async Task<RunningPlatform> StartAsync(PlatformServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new PlatformServerOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(PlatformServerOptions), typeof(PlatformServerOptions), validation.Failures);
        }

        var tokens = options.Tokens.ToList();
        string? generated = null;
        if (tokens.Count == 0)
        {
            generated = "rp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            tokens.Add(PlatformToken.Admin(GeneratedTokenPrincipal, generated));
        }

        // Its settings come from the options, so appsettings.json is read once and not watched: watching it watches the
        // whole content root, usually the folder the SQLite database is in, and every write then woke the watcher
        // (a tenth of the server's CPU under a bulk apply).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = typeof(PlatformServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls([.. options.Urls]);

        // Kestrel answers a request line or header section past its limits itself, with an empty body; with room above
        // them, RequestLimits answers past the same limits with a problem like every other error.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = RequestLimits.KestrelCeiling;
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestLimits.KestrelCeiling;
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);

        // The host logs a failure to start (an address in use) with its stack trace, then throws it to the caller, who
        // says it in one line; its critical lines stay. Before the caller's configuration, which may ask for it back.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        if (options.ConfigureLogging is { } configure)
        {
            configure(builder.Logging);
        }
        else
        {
            builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
        }

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<IValidateOptions<PlatformServerOptions>, PlatformServerOptionsValidator>();
        services.AddSingleton(options.TimeProvider);
        services.AddSingleton(new Database(options.Database));
        services.AddSingleton<ObjectStore>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<MutationService>();
        services.AddSingleton<PlatformMetrics>();
        services.AddSingleton(new TokenAuthenticator(tokens));
        services.AddSingleton(new FaultInjector(options.Faults));
        services.AddMetrics();
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = WireJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.DefaultIgnoreCondition = WireJson.Options.DefaultIgnoreCondition;
            foreach (var converter in WireJson.Options.Converters)
            {
                o.SerializerOptions.Converters.Add(converter);
            }
        });
        services.AddProblemDetails();
        services.AddOpenApi("v1", OpenApiDocument.Configure);
        services.AddSingleton<IHostLifetime, SignalFreeLifetime>();

        var app = builder.Build();
        try
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PlatformServer));

            // The addresses are bound before the database is touched, so a server that cannot listen (its port in use)
            // creates or migrates no database; until the database is ready every request is answered 503 with Retry-After.
            var ready = false;
            app.Use((context, next) =>
            {
                if (Volatile.Read(ref ready))
                {
                    return next(context);
                }

                context.Response.Headers.RetryAfter = "1";
                return Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "starting", "The platform is starting.", "Its database is being prepared; retry in a moment.");
            });
            app.Use(RequestLimits.Check);
            app.UseExceptionHandler(errors => errors.Run(context =>
            {
                var feature = context.Features.Get<IExceptionHandlerFeature>();
                if (feature is not null && DatabaseBusy.Is(feature.Error))
                {
                    PlatformLog.DatabaseBusy(logger, context.Request.Method, context.Request.Path, feature.Error.Message);
                    context.Response.Headers.RetryAfter = "1";
                    return Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "database-busy", "The database is busy.", "The database could not serve the request now (overloaded, or the write contended with others and was rolled back); retry after Retry-After seconds (a create with the same Idempotency-Key).");
                }

                if (feature is not null)
                {
                    PlatformLog.Unhandled(logger, feature.Error, context.Request.Method, context.Request.Path);
                }

                return Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal", "Internal server error.", "The server failed to handle the request; it was logged.");
            }));
            app.UseStatusCodePages(Problems.WriteForStatusAsync);

            // RFC 9110 9.1: a server answers HEAD as it answers GET, without the body. The endpoints are mapped for GET
            // alone, so HEAD is routed as GET; Kestrel still knows the request was HEAD and sends no body.
            app.Use((context, next) =>
            {
                if (HttpMethods.IsHead(context.Request.Method))
                {
                    context.Request.Method = HttpMethods.Get;
                }

                return next(context);
            });
            app.UseRouting();
            app.UseMiddleware<ApiGatekeeper>(
                app.Services.GetRequiredService<TokenAuthenticator>(),
                app.Services.GetRequiredService<FaultInjector>(),
                CreateRateLimiter(options.RateLimit));
            app.MapOpenApi("/openapi/{documentName}.json");
            Endpoints.Map(app, Handlers.All);

            await app.StartAsync(cancellationToken);
            await app.Services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);

            // After the database opened: a server that cannot start has no token to warn about.
            if (generated is not null)
            {
                PlatformLog.GeneratedToken(logger, GeneratedTokenPrincipal);
            }

            await SeedAsync(app.Services.GetRequiredService<MutationService>(), logger, cancellationToken);
            Volatile.Write(ref ready, true);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
            PlatformLog.Started(logger, string.Join(", ", addresses), options.Database.Provider);
            var adminToken = generated ?? tokens.FirstOrDefault(t => t.Scopes.Contains(AdminApi.WriteScope))?.Token ?? tokens[0].Token;
            return new RunningPlatform(app, addresses, adminToken, generated is not null, options.StopsOnSignals ? StopOnSignals(app.Lifetime) : []);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Ctrl+C, SIGTERM and SIGQUIT (the host's console lifetime's signals) stop a server that is ready, letting requests
    /// in flight finish. Taken only then: while the database is prepared (SQLite waits for a lock by blocking) a signal
    /// keeps the process's own handling and ends it.
    /// </summary>
    private static PosixSignalRegistration[] StopOnSignals(IHostApplicationLifetime lifetime) =>
        [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            lifetime.StopApplication();
        }))];

    private static async Task SeedAsync(MutationService mutations, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var role in BuiltInRoles.All)
        {
            await mutations.SeedAsync(Handlers.Roles, role, $"rol_{role.Name}", cancellationToken);
            PlatformLog.SeededRole(logger, role.Name);
        }

        var organization = new OrganizationDto { DisplayName = "My organization", Timezone = "UTC" };
        await mutations.SeedAsync(Handlers.Organization, organization, Handlers.Organization.SingletonId, cancellationToken);
    }

    private static PartitionedRateLimiter<string> CreateRateLimiter(RateLimitOptions options)
    {
        if (!options.Enabled)
        {
            return PartitionedRateLimiter.Create<string, string>(_ => RateLimitPartition.GetNoLimiter("unlimited"));
        }

        return PartitionedRateLimiter.Create<string, string>(principal => RateLimitPartition.GetTokenBucketLimiter(principal, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = options.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }
}

/// <summary>A started platform server: where it listens and the admin token to use. Dispose to stop.</summary>
public sealed class RunningPlatform : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<PosixSignalRegistration> _signals;

    internal RunningPlatform(WebApplication app, IReadOnlyList<string> urls, string adminToken, bool tokenGenerated, IReadOnlyList<PosixSignalRegistration> signals)
    {
        _app = app;
        _signals = signals;
        Urls = urls;
        BaseUrl = new Uri(urls[0].TrimEnd('/') + "/");
        AdminToken = adminToken;
        AdminTokenGenerated = tokenGenerated;
    }

    /// <summary>Every bound address, with real ports when port 0 was asked for.</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>The first bound address, ending in '/'; the API lives under <c>api/v1/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>A token with admin:read and admin:write: the generated one when none was configured.</summary>
    public string AdminToken { get; }

    /// <summary>True when <see cref="AdminToken"/> was generated for this run (print it for local use).</summary>
    public bool AdminTokenGenerated { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Completes when the server stops (e.g. Ctrl+C when hosted by the CLI).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
