using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes;

/// <summary>
/// client-go's transparent retry of an answer that says when to come back: a 429, or any 5xx, carrying Retry-After
/// (or, failing that header, a Status with <c>details.retryAfterSeconds</c>) is sent again after that wait, at most
/// <see cref="DefaultMaxRetries"/> times as client-go's rest client, by a Polly retry strategy. Priority and Fairness
/// answers 429 before the request is handled, so every verb is retried, as client-go does. Watches are passed through:
/// their callers re-watch with their own backoff.
/// </summary>
public sealed class RetryAfterHandler : DelegatingHandler
{
    /// <summary>client-go's default <c>maxRetries</c>.</summary>
    public const int DefaultMaxRetries = 10;

    // Read once per answer, when the strategy decides whether to retry, and taken from there as the delay.
    private static readonly ResiliencePropertyKey<TimeSpan> Wait = new("reconciler.kubernetes.retry-after");

    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <param name="time">The clock the waits run on.</param>
    /// <param name="maxRetries">Retries after the first attempt; the last answer is returned as it is.</param>
    /// <param name="maxWait">
    /// The longest single wait (60 s by default); a longer Retry-After is shortened to it. client-go has no cap and
    /// relies on the request's deadline; here the request timeout still bounds all attempts and waits together.
    /// </param>
    public RetryAfterHandler(TimeProvider? time = null, int maxRetries = DefaultMaxRetries, TimeSpan? maxWait = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRetries, 1);
        var longest = maxWait ?? TimeSpan.FromSeconds(60);
        ArgumentOutOfRangeException.ThrowIfLessThan(longest, TimeSpan.Zero, nameof(maxWait));
        _time = time ?? TimeProvider.System;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = maxRetries,
                ShouldHandle = async args =>
                {
                    if (args.Outcome.Result is not { } response || await RetryAfterAsync(response, args.Context.CancellationToken) is not { } wait)
                        return false;
                    args.Context.Properties.Set(Wait, wait < longest ? wait : longest);
                    return true;
                },
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(Wait, TimeSpan.Zero)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (WatchConnectionHandler.IsWatch(request.RequestUri))
            return await base.SendAsync(request, cancellationToken);

        // Sent again, a body must be readable again.
        if (request.Content is { } content)
            await content.LoadIntoBufferAsync(cancellationToken);
        return await _pipeline.ExecuteAsync(async token => await base.SendAsync(request, token), cancellationToken);
    }

    private async Task<TimeSpan?> RetryAfterAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
            return null;

        if (response.Headers.RetryAfter is { } header)
        {
            var wait = header.Delta ?? (header.Date is { } date ? date - _time.GetUtcNow() : TimeSpan.Zero);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        try
        {
            var status = JsonSerializer.Deserialize<KubernetesStatus>(await response.Content.ReadAsStringAsync(cancellationToken), KubernetesJson.Options);
            return status?.Details?.RetryAfterSeconds is >= 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null;
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's page): no word on when to come back, so no retry.
            return null;
        }
    }
}
