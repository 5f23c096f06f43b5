using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Reconciler.Platform.Client;

/// <summary>
/// Shared by every client instance: the retry pipeline (exponential backoff with jitter, Retry-After honoured on
/// 429/503) and the client-side request budget (a token bucket), so that transient typed clients share one rate.
/// </summary>
public sealed partial class AdminApiResilience : IDisposable
{
    private static readonly ResiliencePropertyKey<string> MethodKey = new("method");
    private static readonly ResiliencePropertyKey<string> CollectionKey = new("collection");

    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    private readonly TokenBucketRateLimiter? budget;
    private readonly TimeProvider time;

    public AdminApiResilience(IOptions<AdminApiClientOptions> options, TimeProvider time, PlatformClientMetrics metrics, ILogger<AdminApiResilience> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        this.time = time;
        if (settings.RequestsPerSecond > 0)
        {
            budget = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.RequestsPerSecond,
                TokensPerPeriod = settings.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }

        pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(settings.MaxRetries > 0 && IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, settings.MaxDelay)),
                OnRetry = args =>
                {
                    var method = args.Context.Properties.GetValue(MethodKey, "?");
                    var collection = args.Context.Properties.GetValue(CollectionKey, "?");
                    metrics.Retry(method, collection);
                    var status = args.Outcome.Result is { } response ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "?";
                    LogRetry(logger, method, collection, args.AttemptNumber + 1, status, (long)args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public async Task<HttpResponseMessage> ExecuteAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, string method, string collection, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(MethodKey, method);
        context.Properties.Set(CollectionKey, collection);
        try
        {
            return await pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    if (state.budget is not null)
                    {
                        using var lease = await state.budget.AcquireAsync(1, ctx.CancellationToken);
                    }

                    return await state.send(ctx.CancellationToken);
                },
                context,
                (budget, send));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } exception)
            return exception is HttpRequestException or IOException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested);
        var status = outcome.Result!.StatusCode;
        return status == HttpStatusCode.TooManyRequests || (int)status >= 500;
    }

    /// <summary>Retry-After in seconds or as an HTTP date; null lets the exponential backoff decide.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
            return null;
        var delay = header.Delta ?? (header.Date is { } date ? date - time.GetUtcNow() : null);
        if (delay is null)
            return null;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > max ? max : delay;
    }

    public void Dispose() => budget?.Dispose();

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "{Method} {Collection}: retry {Attempt} after {Status}, waiting {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string method, string collection, int attempt, string status, long delayMs);
}
