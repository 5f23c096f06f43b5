using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.LeaderElection;
using Reconciler.Operator.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Reconciler.Platform.Client;

namespace Reconciler.Operator.Hosting;

/// <summary>
/// A running operator: health and metrics endpoints, and the controllers — under a Lease when leader election is on,
/// so that only one replica reconciles while the others stand by, ready to take over.
/// </summary>
public sealed partial class OperatorHost : IAsyncDisposable
{
    private readonly OperatorOptions options;
    private readonly IKubernetesClient client;
    private readonly ILoggerFactory loggerFactory;
    private readonly TimeProvider time;
    private readonly OperatorMetrics metrics;
    private readonly PlatformClientMetrics platformMetrics;
    private readonly ILogger logger;
    private readonly WebApplication web;
    private LeaderElector? elector;

    public OperatorHost(IKubernetesClient client, OperatorOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.client = client;
        this.options = options;
        this.loggerFactory = loggerFactory;
        this.time = time ?? TimeProvider.System;
        web = BuildWeb();

        // The provider listens from now on, so the series registered before the first reconcile are all scraped.
        _ = web.Services.GetRequiredService<MeterProvider>();
        _ = web.Services.GetRequiredService<TracerProvider>();
        var meters = web.Services.GetRequiredService<IMeterFactory>();
        metrics = new OperatorMetrics(meters);
        platformMetrics = new PlatformClientMetrics(meters);
        if (options.LeaderElection)
            metrics.TrackLease(options.LeaseName, () => IsLeading);
        logger = loggerFactory.CreateLogger<OperatorHost>();
    }

    /// <summary>The controllers of the current leader term; null while standing by.</summary>
    public OperatorRuntime? Runtime { get; private set; }

    public bool IsLeading => Runtime is not null;

    /// <summary>Ready when this replica's caches are synced, or when it stands by (it is healthy, just not leading).</summary>
    public bool IsReady => Runtime is { } runtime ? runtime.HasSynced : options.LeaderElection;

    /// <summary>Where the endpoints listen, after start (port 0 resolved).</summary>
    public IReadOnlyList<string> Urls => [.. web.Urls];

    /// <summary>What Prometheus would scrape from <c>/metrics</c> now, over HTTP.</summary>
    public async Task<string> ScrapeMetricsAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(new Uri(Urls[0]), "metrics"));
    }

    /// <summary>Starts the endpoints, then leads (or stands for election) until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await web.StartAsync(cancellationToken);
        try
        {
            if (!options.LeaderElection)
            {
                await LeadAsync(cancellationToken);
                return;
            }

            elector = new LeaderElector(client.Api, new LeaderElectionOptions
            {
                LeaseName = options.LeaseName,
                LeaseNamespace = options.LeaseNamespace ?? "default",
                Identity = options.Identity,
                LeaseDuration = options.LeaseDuration,
                RenewDeadline = options.RenewDeadline,
                RetryPeriod = options.RetryPeriod,
                OnStartedLeading = LeadAsync,
            }, logger);

            // Losing the lease ends a term; stand for election again until asked to stop.
            while (!cancellationToken.IsCancellationRequested)
                await elector.RunAsync(cancellationToken);
        }
        finally
        {
            await web.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        metrics.Dispose();
        platformMetrics.Dispose();
        await web.DisposeAsync();
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        using var runtime = new OperatorRuntime(client, options, metrics, platformMetrics, time, loggerFactory);
        Runtime = runtime;
        Log.Leading(logger, options.Identity);
        try
        {
            await runtime.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The term ended.
        }
        finally
        {
            Runtime = null;
        }
    }

    private WebApplication BuildWeb()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. new[] { options.MetricsAddress, options.HealthAddress }.Distinct(StringComparer.Ordinal)]);
        builder.Services.AddOperatorTelemetry(builder.Configuration, options.Identity);
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => IsReady ? Results.Text("ok") : Results.Text("caches not synced", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is reconciling")]
        public static partial void Leading(ILogger logger, string identity);
    }
}
