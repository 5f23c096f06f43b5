using System.Diagnostics.Metrics;
using System.Globalization;

namespace Reconciler.Kubernetes;

/// <summary>
/// client-go's <c>rest_client_requests_total{code,method,host}</c>: every request to the API server, counted in the
/// library's HTTP pipeline. The meter is the process's (<see cref="MeterName"/>), as client-go's registry is.
/// </summary>
public sealed class RestClientMetricsHandler : DelegatingHandler
{
    public const string MeterName = "Reconciler.Kubernetes";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "rest_client_requests_total", description: "Number of HTTP requests, partitioned by status code, method, and host.");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var host = request.RequestUri is { } uri ? uri.Authority : "";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            Count(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), request.Method.Method, host);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // client-go's label for a request that got no answer.
            Count("<error>", request.Method.Method, host);
            throw;
        }
    }

    private static void Count(string code, string method, string host) =>
        Requests.Add(1, new("code", code), new("method", method), new("host", host));
}
