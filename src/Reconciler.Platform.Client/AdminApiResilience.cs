using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Reconciler.Platform.Client;

/// <summary>
/// Shared by every client instance: the retry pipeline for 5xx and network errors (exponential backoff with jitter,
/// Retry-After honoured with jitter so workers do not retry in lockstep), back-pressure for 429 (wait Retry-After plus
/// jitter and slow the <see cref="AdaptiveRate"/>, without spending a retry), and a short circuit once the platform is
/// unreachable: after one request ran out of retries on network errors, the others fail at once for a while instead
/// of each waiting out its own retries.
/// </summary>
public sealed partial class AdminApiResilience
{
    private static readonly ResiliencePropertyKey<string> MethodKey = new("method");
    private static readonly ResiliencePropertyKey<string> CollectionKey = new("collection");
    private static readonly ResiliencePropertyKey<long> StartedKey = new("started");

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly AdaptiveRate _rate;
    private readonly TimeProvider _time;
    private readonly AdminApiClientOptions _settings;
    private readonly PlatformClientMetrics _metrics;
    private readonly ILogger<AdminApiResilience> _logger;
    private long _unreachableUntil = long.MinValue;

    public AdminApiResilience(IOptions<AdminApiClientOptions> options, TimeProvider time, PlatformClientMetrics metrics, ILogger<AdminApiResilience> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _settings = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _rate = new AdaptiveRate(_settings.RequestsPerSecond > 0 ? _settings.RequestsPerSecond : null, time);

        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, _settings.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _settings.BaseDelay,
                MaxDelay = _settings.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(_settings.MaxRetries > 0 && ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result) is { } after ? Jitter(after) : (TimeSpan?)null),
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

    /// <summary>The adaptive request rate (requests per second; null while unlimited).</summary>
    public double? CurrentRate => _rate.Current;

    /// <summary>Sends with retries and back-pressure; throws <see cref="PlatformUnreachableException"/> once the platform cannot be reached.</summary>
    public async Task<HttpResponseMessage> ExecuteAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, string method, string collection, CancellationToken cancellationToken)
    {
        var backPressureUntil = _time.GetUtcNow() + _settings.MaxBackPressureWait;
        while (true)
        {
            if (_time.GetTimestamp() < Interlocked.Read(ref _unreachableUntil))
                throw new PlatformUnreachableException("not attempted: an earlier request found the platform unreachable", null);

            var response = await SendWithRetriesAsync(send, method, collection, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                if ((int)response.StatusCode < 500)
                    _rate.Succeeded();
                return response;
            }

            // 429 is the platform asking for a slower pace, not a failure: slow down, wait, ask again.
            _rate.Throttled();
            _metrics.Throttled(method, collection);
            if (_time.GetUtcNow() >= backPressureUntil)
                return response;
            var wait = Jitter(RetryAfter(response) ?? _settings.BaseDelay);
            LogBackPressure(_logger, method, collection, (long)wait.TotalMilliseconds, _rate.Current ?? 0);
            response.Dispose();
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, string method, string collection, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(MethodKey, method);
        context.Properties.Set(CollectionKey, collection);
        context.Properties.Set(StartedKey, _time.GetTimestamp());
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    await state.rate.WaitAsync(ctx.CancellationToken);
                    return await state.send(ctx.CancellationToken);
                },
                context,
                (rate: _rate, send));
        }
        catch (Exception e) when (IsNetworkError(e, cancellationToken))
        {
            Interlocked.Exchange(ref _unreachableUntil, _time.GetTimestamp() + (long)(_settings.UnreachableCooldown.TotalSeconds * _time.TimestampFrequency));
            var elapsed = _time.GetElapsedTime(context.Properties.GetValue(StartedKey, _time.GetTimestamp()));
            throw new PlatformUnreachableException($"{e.Message} (gave up after {elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (outcome.Exception is { } exception)
        {
            // Network errors stop being retried once UnreachableAfter has passed: a platform that is down fails the run fast.
            var started = context.Properties.GetValue(StartedKey, _time.GetTimestamp());
            return IsNetworkError(exception, context.CancellationToken) && _time.GetElapsedTime(started) < _settings.UnreachableAfter;
        }

        return (int)outcome.Result!.StatusCode >= 500;
    }

    private static bool IsNetworkError(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or IOException || (exception is TaskCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested);

    /// <summary>Full jitter on top of the wait: each worker waits between 1 and 1.5 times it, so they do not come back together.</summary>
    private static TimeSpan Jitter(TimeSpan wait) => wait * (1 + (Random.Shared.NextDouble() * 0.5));

    /// <summary>Retry-After in seconds or as an HTTP date; null lets the exponential backoff decide.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
            return null;
        var delay = header.Delta ?? (header.Date is { } date ? date - _time.GetUtcNow() : null);
        if (delay is null)
            return null;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > _settings.MaxDelay ? _settings.MaxDelay : delay;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "{Method} {Collection}: retry {Attempt} after {Status}, waiting {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string method, string collection, int attempt, string status, long delayMs);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "{Method} {Collection}: 429, waiting {DelayMs} ms; client rate now {Rate:0.0} requests/s")]
    private static partial void LogBackPressure(ILogger logger, string method, string collection, long delayMs, double rate);
}

/// <summary>The platform could not be reached (connection refused, DNS, timeouts) even after retries.</summary>
public sealed class PlatformUnreachableException(string message, Exception? inner) : Exception(message, inner);
