using System.Diagnostics.Metrics;

namespace Reconciler.Platform.Client;

/// <summary>Instruments of the Admin API client, on the project's one Meter ("Reconciler").</summary>
public sealed class PlatformClientMetrics : IDisposable
{
    public const string MeterName = "Reconciler";
    public const string RequestsInstrument = "reconciler.platform.requests";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _throttled;

    public PlatformClientMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>(RequestsInstrument, "{request}", "Admin API requests by method, collection and status code.");
        _retries = _meter.CreateCounter<long>("reconciler.platform.retries", "{retry}", "Admin API requests retried after 5xx or a network error.");
        _throttled = _meter.CreateCounter<long>("reconciler.platform.throttled", "{response}", "Admin API 429 answers, waited out as back-pressure.");
    }

    public void Request(string method, string collection, string statusCode) =>
        _requests.Add(1, new("method", method), new("collection", collection), new("code", statusCode));

    public void Retry(string method, string collection) => _retries.Add(1, new("method", method), new("collection", collection));

    public void Throttled(string method, string collection) => _throttled.Add(1, new("method", method), new("collection", collection));

    public void Dispose() => _meter.Dispose();
}
