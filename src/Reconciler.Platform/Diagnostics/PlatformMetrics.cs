using System.Diagnostics.Metrics;

namespace Reconciler.Platform.Diagnostics;

/// <summary>Instruments of the "Reconciler.Platform" meter.</summary>
internal sealed class PlatformMetrics
{
    public const string MeterName = "Reconciler.Platform";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _mutations;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _faults;
    private readonly Counter<long> _idempotentReplays;

    public PlatformMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("reconciler.platform.requests", "{request}", "HTTP requests handled by the Admin API.");
        _duration = meter.CreateHistogram<double>("reconciler.platform.request.duration", "s", "Duration of Admin API requests.");
        _mutations = meter.CreateCounter<long>("reconciler.platform.mutations", "{mutation}", "Committed creates, updates and deletes.");
        _rateLimited = meter.CreateCounter<long>("reconciler.platform.rate_limited", "{request}", "Requests refused with 429.");
        _faults = meter.CreateCounter<long>("reconciler.platform.faults_injected", "{fault}", "Faults injected by configuration.");
        _idempotentReplays = meter.CreateCounter<long>("reconciler.platform.idempotent_replays", "{request}", "Creates answered from a stored Idempotency-Key response.");
    }

    public void Request(string method, int status, double seconds)
    {
        var tags = new KeyValuePair<string, object?>[] { new("http.request.method", method), new("http.response.status_code", status) };
        _requests.Add(1, tags);
        _duration.Record(seconds, tags);
    }

    public void Mutation(string collection, string action) =>
        _mutations.Add(1, new KeyValuePair<string, object?>("collection", collection), new KeyValuePair<string, object?>("action", action));

    public void RateLimited() => _rateLimited.Add(1);

    public void Fault(string kind) => _faults.Add(1, new KeyValuePair<string, object?>("fault", kind));

    public void IdempotentReplay() => _idempotentReplays.Add(1);
}
