using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Reconciler.Kubernetes;
using Reconciler.Operator.Metrics;
using Reconciler.Platform.Client;

namespace Reconciler.Operator.Hosting;

/// <summary>
/// The operator's OpenTelemetry pipeline: its meters to the Prometheus scrape endpoint, its spans recorded, and both
/// exported over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (and only then: an operator with no
/// collector must not spend time failing to reach one). The other <c>OTEL_*</c> variables (protocol, headers, export
/// interval, service name, resource attributes) are the SDK's own.
/// </summary>
public static class OperatorTelemetry
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddOperatorTelemetry(this IServiceCollection services, IConfiguration configuration, string identity)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("reconciler-operator", serviceInstanceId: identity))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OperatorMetrics.MeterName, RestClientMetricsHandler.MeterName)
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                    metrics.AddOtlpExporter();
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(ReconcilerTracing.SourceName);
                if (otlp)
                    tracing.AddOtlpExporter();
            });
        return services;
    }
}
