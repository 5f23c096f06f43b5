using Microsoft.Extensions.Options;

namespace Reconciler.Platform.Client;

/// <summary>Where the Admin API is, how to authenticate, and how hard to push it.</summary>
public sealed class AdminApiClientOptions
{
    /// <summary>Base URL of the platform; the API lives under <c>api/v1/</c>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Supplies the bearer token per request; never logged.</summary>
    public ITokenProvider? TokenProvider { get; set; }

    /// <summary>Client-side request budget, the ceiling of the adaptive rate; 0 means none (the rate adapts to 429s alone).</summary>
    public int RequestsPerSecond { get; set; }

    /// <summary>
    /// How long one request keeps waiting out 429s before it reports the platform unavailable; also the longest
    /// Retry-After a 5xx is retried after (a longer one fails the request rather than asking before the platform said).
    /// </summary>
    public TimeSpan MaxBackPressureWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Network errors are retried until this much time has passed since the request's first attempt.</summary>
    public TimeSpan UnreachableAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>After a request gave up on an unreachable platform, others fail at once for this long.</summary>
    public TimeSpan UnreachableCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time limit of opening a connection (at most half of <see cref="AttemptTimeout"/>); a black-holed address fails this
    /// fast, not after <see cref="AttemptTimeout"/>.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after the first attempt for 429, 5xx and network errors.</summary>
    public int MaxRetries { get; set; } = 6;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest backoff between retries that the platform gave no Retry-After for.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time limit of one attempt, from sending the request to the end of its answer; <see cref="Timeout.InfiniteTimeSpan"/>
    /// for none. A request that got no answer within it is not sent again: the platform has it.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// The largest answer read (64 MiB: a page of a thousand objects is a few MiB). Without it a server that never ends
    /// its body grew the client by gigabytes before the attempt's time ran out.
    /// </summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// The most pages one list reads (10,000: ten million objects at a thousand a page). A platform that hands out a
    /// new cursor with every page, empty or not, would otherwise be listed until the run is killed.
    /// </summary>
    public int MaxListPages { get; set; } = 10_000;
}

/// <summary>Rejects options the client cannot work with, at start rather than at the first request.</summary>
public sealed class AdminApiClientOptionsValidator : IValidateOptions<AdminApiClientOptions>
{
    /// <summary>The longest base or maximum delay Polly's retry strategy accepts.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromDays(1);

    /// <summary>The longest time limit a timer takes (int.MaxValue milliseconds).</summary>
    public static readonly TimeSpan MaxAttemptTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>
    /// The shortest time limit: the connection is given half of it, and a handler refuses a connect timeout that rounds
    /// to nothing (a limit of one tick stopped the command with ArgumentOutOfRangeException).
    /// </summary>
    public static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(1);

    public ValidateOptionsResult Validate(string? name, AdminApiClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            failures.Add("BaseUrl must be an absolute http(s) URL.");
        if (options.TokenProvider is null)
            failures.Add("TokenProvider is required (RECONCILER_PLATFORM_TOKEN or a token file).");
        if (options.RequestsPerSecond < 0)
            failures.Add("RequestsPerSecond must be 0 (unlimited) or more.");
        if (options.MaxRetries is < 0 or > 20)
            failures.Add("MaxRetries must be between 0 and 20.");
        if (options.MaxResponseBytes < 1 || options.MaxListPages < 1)
            failures.Add("MaxResponseBytes and MaxListPages must be 1 or more.");
        if (options.PageSize is < 1 or > 1000)
            failures.Add("PageSize must be between 1 and 1000.");

        // The retry pipeline is built at the first retry (a run that never retries never pays for it), so what it would
        // refuse is refused here, at start, rather than in the middle of an apply.
        if (options.BaseDelay < TimeSpan.Zero || options.BaseDelay > MaxRetryDelay || options.MaxDelay < TimeSpan.Zero || options.MaxDelay > MaxRetryDelay)
            failures.Add("BaseDelay and MaxDelay must be between 0 and 1 day.");
        if (options.UnreachableAfter < TimeSpan.Zero)
            failures.Add("UnreachableAfter must be 0 or more.");
        if (options.AttemptTimeout != Timeout.InfiniteTimeSpan && (options.AttemptTimeout < MinAttemptTimeout || options.AttemptTimeout > MaxAttemptTimeout))
            failures.Add("AttemptTimeout must be at least 1 ms and at most 24 days, or infinite.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Refuses options the client cannot work with when it is composed, not at its first request.</summary>
    public static void ThrowIfInvalid(AdminApiClientOptions options)
    {
        var validation = new AdminApiClientOptionsValidator().Validate(null, options);
        if (validation.Failed)
            throw new OptionsValidationException(nameof(AdminApiClientOptions), typeof(AdminApiClientOptions), validation.Failures);
    }
}
