using System.Threading.RateLimiting;

namespace Reconciler.Kubernetes;

/// <summary>
/// client-go's client-side token bucket, as an HTTP handler in the library's pipeline: QPS tokens a second, up to
/// a burst; requests wait for a token rather than fail. Only installed when a QPS is set.
/// </summary>
public sealed class ClientRateLimitHandler : DelegatingHandler
{
    private readonly TokenBucketRateLimiter _bucket;

    public ClientRateLimitHandler(double qps, int burst)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegative(burst);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst > 0 ? burst : (int)Math.Ceiling(qps),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / qps),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (await _bucket.AcquireAsync(1, cancellationToken))
        {
        }

        return await base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _bucket.Dispose();
        }

        base.Dispose(disposing);
    }
}
