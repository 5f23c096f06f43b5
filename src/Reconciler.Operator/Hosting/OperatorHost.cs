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
    private readonly OperatorOptions _options;
    private readonly IKubernetesClient _client;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly OperatorMetrics _metrics;
    private readonly PlatformClientMetrics _platformMetrics;
    private readonly ILogger _logger;
    private readonly WebApplication _web;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LeaderElector? _elector;
    private ListenerPorts? _ports;

    public OperatorHost(IKubernetesClient client, OperatorOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _client = client;
        _options = options;
        _loggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
        _web = BuildWeb();

        // The provider listens from now on, so the series registered before the first reconcile are all scraped.
        _ = _web.Services.GetRequiredService<MeterProvider>();
        _ = _web.Services.GetRequiredService<TracerProvider>();
        var meters = _web.Services.GetRequiredService<IMeterFactory>();
        _metrics = new OperatorMetrics(meters);
        _platformMetrics = new PlatformClientMetrics(meters);
        if (options.LeaderElection)
            _metrics.TrackLease(options.LeaseName, () => IsLeading);
        _logger = loggerFactory.CreateLogger<OperatorHost>();
    }

    /// <summary>The controllers of the current leader term; null while standing by.</summary>
    public OperatorRuntime? Runtime { get; private set; }

    public bool IsLeading => Runtime is not null;

    /// <summary>Ready when this replica's caches are synced, or when it stands by (it is healthy, just not leading).</summary>
    public bool IsReady => Runtime is { } runtime ? runtime.HasSynced : _options.LeaderElection;

    /// <summary>
    /// Where the endpoints listen once they are bound (port 0 resolved); empty before, because until then the server
    /// reports the configured addresses (<c>:0</c>) rather than bound ones.
    /// </summary>
    public IReadOnlyList<string> Urls => _listening.Task.IsCompleted ? [.. _web.Urls] : [];

    /// <summary>What Prometheus would scrape from <c>/metrics</c> now, over HTTP; waits for the endpoints to be bound first.</summary>
    public async Task<string> ScrapeMetricsAsync()
    {
        await _listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(new Uri(Urls[0]), "metrics"));
    }

    /// <summary>Starts the endpoints, then leads (or stands for election) until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _web.StartAsync(cancellationToken);
        var bound = _web.Urls.ToList();
        _ports = new ListenerPorts(new Uri(bound[0]).Port, new Uri(bound[^1]).Port);
        LogListeners();
        _listening.TrySetResult();
        try
        {
            if (!_options.LeaderElection)
            {
                await LeadAsync(cancellationToken);
                return;
            }

            _elector = new LeaderElector(_client.Api, new LeaderElectionOptions
            {
                LeaseName = _options.LeaseName,
                LeaseNamespace = _options.LeaseNamespace ?? "default",
                Identity = _options.Identity,
                LeaseDuration = _options.LeaseDuration,
                RenewDeadline = _options.RenewDeadline,
                RetryPeriod = _options.RetryPeriod,
                OnStartedLeading = LeadAsync,
            }, _time, _logger);

            // Losing the lease ends a term; stand for election again until asked to stop.
            while (!cancellationToken.IsCancellationRequested)
                await _elector.RunAsync(cancellationToken);
        }
        finally
        {
            await _web.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _metrics.Dispose();
        _platformMetrics.Dispose();
        await _web.DisposeAsync();
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        using var runtime = new OperatorRuntime(_client, _options, _metrics, _platformMetrics, _time, _loggerFactory);
        Runtime = runtime;
        Log.Leading(_logger, _options.Identity);
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

    /// <summary>
    /// One listener per address, except that one fixed address given for both is one listener serving both: it could
    /// not be bound twice. Port 0 given twice means a free port for each.
    /// </summary>
    private IReadOnlyList<string> ListenAddresses() =>
        _options.MetricsAddress == _options.HealthAddress && new Uri(_options.MetricsAddress).Port != 0
            ? [_options.MetricsAddress]
            : [_options.MetricsAddress, _options.HealthAddress];

    /// <summary>
    /// Says where each listener is bound, port 0 resolved, as <c>platform serve</c> does: the only way to find a port
    /// the system chose. Kestrel binds the addresses in the order given and reports them in that order; the metrics
    /// address is the first, the health address the last (the same one when they share it).
    /// </summary>
    private void LogListeners()
    {
        var bound = _web.Urls.ToList();
        var configured = ListenAddresses();
        for (var i = 0; i < configured.Count && i < bound.Count; i++)
        {
            var url = bound[i].TrimEnd('/');
            var serves = new List<string>();
            if (i == 0)
                serves.Add($"metrics: {url}/metrics");
            if (i == configured.Count - 1)
                serves.Add($"health: {url}/healthz, readiness: {url}/readyz");
            Log.Listening(_logger, url, string.Join(", ", serves));
        }
    }

    private WebApplication BuildWeb()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. ListenAddresses()]);
        builder.Services.AddOperatorTelemetry(builder.Configuration, _options.Identity);
        var app = builder.Build();

        // Each endpoint on its own listener, as controller-runtime's --metrics-bind-address and
        // --health-probe-bind-address: the probe port opened to the kubelet does not also expose the metrics, nor the
        // metrics port the probes. One address given for both is one listener serving both.
        app.Use((context, next) =>
        {
            if (OnItsListener(context))
                return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => IsReady ? Results.Text("ok") : Results.Text("caches not synced", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>
    /// Whether the request came in on the listener of the endpoint it asks for. Listeners are told apart by their
    /// bound port; until the ports are known (the moment between binding and reading them), and when both share a port,
    /// every endpoint is served.
    /// </summary>
    private bool OnItsListener(HttpContext context)
    {
        if (_ports is not { } ports || ports.Metrics == ports.Health)
            return true;
        var path = context.Request.Path;
        if (path.StartsWithSegments("/metrics"))
            return context.Connection.LocalPort == ports.Metrics;
        if (path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz"))
            return context.Connection.LocalPort == ports.Health;
        return true;
    }

    private sealed record ListenerPorts(int Metrics, int Health);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} is reconciling")]
        public static partial void Leading(ILogger logger, string identity);

        [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {Url} ({Endpoints})")]
        public static partial void Listening(ILogger logger, string url, string endpoints);
    }
}
