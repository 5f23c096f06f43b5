using System.Globalization;
using System.Net;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Reconciler.Platform.Client;

/// <summary>
/// Shared by every client instance: the retry pipeline for 5xx and network errors (exponential backoff with jitter,
/// Retry-After honoured with jitter on top so workers do not retry in lockstep), back-pressure for 429 (wait Retry-After
/// plus jitter and slow the <see cref="AdaptiveRate"/>, without spending a retry), and a short circuit once the platform is
/// unreachable: after one request ran out of retries on network errors, the others fail at once for a while instead
/// of each waiting out its own retries.
/// </summary>
public sealed partial class AdminApiResilience
{
    private readonly AdaptiveRate _rate;
    private readonly TimeProvider _time;
    private readonly AdminApiClientOptions _settings;
    private readonly PlatformClientMetrics _metrics;
    private readonly ILogger<AdminApiResilience> _logger;
    private long _unreachableUntil = long.MinValue;

    // Why later requests fail at once: the platform could not be reached, or it took a request and did not answer.
    private volatile bool _unansweredCooldown;
    private ResiliencePipeline<HttpResponseMessage>? _pipeline;

    public AdminApiResilience(IOptions<AdminApiClientOptions> options, TimeProvider time, PlatformClientMetrics metrics, ILogger<AdminApiResilience> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _settings = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _rate = new AdaptiveRate(_settings.RequestsPerSecond > 0 ? _settings.RequestsPerSecond : null, time);
    }

    /// <summary>
    /// The retry pipeline, built at the first attempt that needs a retry: building it (Polly validates its options
    /// through DataAnnotations and TypeDescriptor) and running attempts through it cost a short CLI run about 5 % of its
    /// CPU in type loading and JIT, although most runs never retry.
    /// </summary>
    private ResiliencePipeline<HttpResponseMessage> Pipeline => LazyInitializer.EnsureInitialized(ref _pipeline, () => new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = Math.Max(1, _settings.MaxRetries),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _settings.BaseDelay,
            MaxDelay = _settings.MaxDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Result, args.Outcome.Exception, args.Context.Properties.GetValue(RetryKeys.Started, _time.GetTimestamp()), args.Context.CancellationToken)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result) is { } after ? Jitter(after) : (TimeSpan?)null),
            OnRetry = args =>
            {
                var method = args.Context.Properties.GetValue(RetryKeys.Method, "?");
                var collection = args.Context.Properties.GetValue(RetryKeys.Collection, "?");
                _metrics.Retry(method, collection);
                var status = args.Outcome.Result is { } response ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "?";
                LogRetry(_logger, method, collection, args.AttemptNumber + 1, status, (long)args.RetryDelay.TotalMilliseconds);
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        })
        .Build());

    /// <summary>The adaptive request rate (requests per second; null while unlimited).</summary>
    public double? CurrentRate => _rate.Current;

    /// <summary>The clock the client times each attempt by.</summary>
    internal TimeProvider Time => _time;

    /// <summary>
    /// Sends with retries and back-pressure; throws <see cref="PlatformUnreachableException"/> once the platform cannot be
    /// reached, and passes on <see cref="PlatformNotAnsweringException"/> (not retried) when it took a request and did not answer.
    /// </summary>
    public async Task<HttpResponseMessage> ExecuteAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, string method, string collection, CancellationToken cancellationToken)
    {
        var backPressureUntil = _time.GetUtcNow() + _settings.MaxBackPressureWait;
        while (true)
        {
            if (_time.GetTimestamp() < Interlocked.Read(ref _unreachableUntil))
            {
                throw _unansweredCooldown
                    ? new PlatformNotAnsweringException(_settings.AttemptTimeout, earlier: true)
                    : new PlatformUnreachableException("not attempted: an earlier request found the platform unreachable", null);
            }

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
            // A wait the platform asks for is never cut short; one that would end past the budget is not begun.
            var asked = RetryAfter(response) ?? _settings.BaseDelay;
            if (_time.GetUtcNow() + asked > backPressureUntil)
                return response;
            var wait = Jitter(asked);
            if (_time.GetUtcNow() + wait > backPressureUntil)
                wait = backPressureUntil - _time.GetUtcNow();
            LogBackPressure(_logger, method, collection, (long)wait.TotalMilliseconds, _rate.Current ?? 0);
            response.Dispose();
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, string method, string collection, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            // The first attempt runs as the pipeline would run it; only an outcome it would retry enters the pipeline.
            HttpResponseMessage response;
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await _rate.WaitAsync(cancellationToken);
                response = await send(cancellationToken);
            }
            catch (Exception e) when (ShouldRetry(null, e, started, cancellationToken))
            {
                return await RetryAsync(new FirstAttempt(null, ExceptionDispatchInfo.Capture(e)), send, method, collection, started, cancellationToken);
            }

            return ShouldRetry(response, null, started, cancellationToken)
                ? await RetryAsync(new FirstAttempt(response, null), send, method, collection, started, cancellationToken)
                : response;
        }
        catch (PlatformNotAnsweringException)
        {
            // Every other request would be held as long: they fail at once for a while, as when the platform is unreachable.
            StartCooldown(unanswered: true);
            throw;
        }
        catch (Exception e) when (IsNetworkError(e, cancellationToken))
        {
            StartCooldown(unanswered: false);
            var elapsed = _time.GetElapsedTime(started);
            throw new PlatformUnreachableException($"{e.Message} (gave up after {elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)", e);
        }
    }

    private void StartCooldown(bool unanswered)
    {
        _unansweredCooldown = unanswered;
        Interlocked.Exchange(ref _unreachableUntil, _time.GetTimestamp() + (long)(_settings.UnreachableCooldown.TotalSeconds * _time.TimestampFrequency));
    }

    /// <summary>The pipeline from the first attempt on: its first call hands back that attempt's outcome instead of sending again.</summary>
    private async Task<HttpResponseMessage> RetryAsync(FirstAttempt first, Func<CancellationToken, Task<HttpResponseMessage>> send, string method, string collection, long started, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RetryKeys.Method, method);
        context.Properties.Set(RetryKeys.Collection, collection);
        context.Properties.Set(RetryKeys.Started, started);
        try
        {
            return await Pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    if (state.first.Take() is { } earlier)
                        return earlier;
                    await state.rate.WaitAsync(ctx.CancellationToken);
                    return await state.send(ctx.CancellationToken);
                },
                context,
                (rate: _rate, send, first));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);

            // Cancelled before the pipeline's first call: the response it would have disposed is disposed here.
            first.Discard();
        }
    }

    /// <summary>
    /// Whether an attempt's outcome is retried: 5xx, unless its Retry-After would end past
    /// <see cref="AdminApiClientOptions.MaxBackPressureWait"/> since the first attempt (asking sooner would go against the
    /// platform's word, and retries that each wait minutes would hold the request for an hour), and
    /// network errors until <see cref="AdminApiClientOptions.UnreachableAfter"/> has passed since the request's first
    /// attempt (a platform that is down fails the run fast); nothing with MaxRetries 0.
    /// </summary>
    private bool ShouldRetry(HttpResponseMessage? response, Exception? exception, long started, CancellationToken cancellationToken)
    {
        if (_settings.MaxRetries <= 0)
            return false;
        if (exception is not null)
            return IsNetworkError(exception, cancellationToken) && _time.GetElapsedTime(started) < _settings.UnreachableAfter;
        return (int)response!.StatusCode >= 500
            && !(RetryAfter(response) is { } after && _time.GetElapsedTime(started) + after > _settings.MaxBackPressureWait);
    }

    // An answer over the client's size limit is the server's doing, and would be as large again: not retried.
    private static bool IsNetworkError(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException { HttpRequestError: not HttpRequestError.ConfigurationLimitExceeded } or IOException
        || (exception is TaskCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested);

    /// <summary>Full jitter on top of the wait: each worker waits between 1 and 1.5 times it, so they do not come back together.</summary>
    private static TimeSpan Jitter(TimeSpan wait) => wait * (1 + (Random.Shared.NextDouble() * 0.5));

    /// <summary>
    /// Retry-After in seconds or as an HTTP date, as the platform asks it (the contract: honoured, so never shortened to
    /// <see cref="AdminApiClientOptions.MaxDelay"/>); null lets the exponential backoff decide.
    /// </summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null)
            return null;
        var delay = header.Delta ?? (header.Date is { } date ? date - _time.GetUtcNow() : null);
        if (delay is null)
            return null;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "{Method} {Collection}: retry {Attempt} after {Status}, waiting {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string method, string collection, int attempt, string status, long delayMs);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "{Method} {Collection}: 429, waiting {DelayMs} ms; client rate now {Rate:0.0} requests/s")]
    private static partial void LogBackPressure(ILogger logger, string method, string collection, long delayMs, double rate);

    /// <summary>What the pipeline's callbacks read from the context; apart from the class, so a run without retries never loads Polly.</summary>
    private static class RetryKeys
    {
        public static readonly ResiliencePropertyKey<string> Method = new("method");
        public static readonly ResiliencePropertyKey<string> Collection = new("collection");
        public static readonly ResiliencePropertyKey<long> Started = new("started");
    }

    /// <summary>The outcome of a request's first attempt, handed to the retry pipeline once: a response, or the exception to rethrow.</summary>
    private sealed class FirstAttempt(HttpResponseMessage? response, ExceptionDispatchInfo? failure)
    {
        private int _taken;

        /// <summary>The response (or throws the failure) the first time; null afterwards.</summary>
        public HttpResponseMessage? Take()
        {
            if (Interlocked.Exchange(ref _taken, 1) == 1)
                return null;
            failure?.Throw();
            return response;
        }

        public void Discard()
        {
            if (Interlocked.Exchange(ref _taken, 1) == 0)
                response?.Dispose();
        }
    }
}

/// <summary>The platform could not be reached (connection refused, DNS, timeouts) even after retries.</summary>
public sealed class PlatformUnreachableException(string message, Exception? inner) : Exception(message, inner);
