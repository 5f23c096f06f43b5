using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Reconciler.Platform.Auth;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Diagnostics;
using Reconciler.Platform.Faults;

namespace Reconciler.Platform.Api;

/// <summary>
/// Runs in front of every <c>/api</c> request, in this order: injected faults (503 before doing
/// anything, added latency), authentication (401) and scope (403), the per-token rate limit (429), then a query
/// parameter holding a control character (400, see <see cref="ControlCharacters"/>).
/// </summary>
internal sealed class ApiGatekeeper(
    RequestDelegate next,
    TokenAuthenticator authenticator,
    FaultInjector faults,
    PartitionedRateLimiter<string> rateLimiter,
    TimeProvider time,
    PlatformMetrics metrics,
    ILogger<ApiGatekeeper> logger)
{
    public const string PrincipalItem = "reconciler.principal";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await GuardAsync(context);
        }
        finally
        {
            metrics.Request(context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private async Task GuardAsync(HttpContext context)
    {
        var request = context.Request;
        // Routing matches paths ignoring case: compared ordinally, /API/v1/… reached the endpoints without a token.
        if (!request.Path.StartsWithSegments(AdminApi.BasePath, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        if (faults.Enabled)
        {
            if (faults.ShouldRejectWithServiceUnavailable())
            {
                metrics.Fault("unavailable");
                PlatformLog.FaultInjected(logger, "503", request.Method, request.Path);
                context.Response.Headers.RetryAfter = faults.Options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "unavailable", "Service unavailable.", "Injected fault: try again later.");
                return;
            }

            if (faults.Options.AddedLatency > TimeSpan.Zero)
            {
                metrics.Fault("latency");
                await Task.Delay(faults.Options.AddedLatency, time, context.RequestAborted);
            }
        }

        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var principal = authenticator.Authenticate(token);
        if (principal is null)
        {
            PlatformLog.AuthRejected(logger, request.Method, request.Path, token is null ? "missing bearer token" : "invalid bearer token");
            context.Response.Headers[HeaderNames.WWWAuthenticate] = token is null
                ? "Bearer realm=\"reconciler-platform\""
                : "Bearer realm=\"reconciler-platform\", error=\"invalid_token\"";
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized.", "A valid bearer token is required.");
            return;
        }

        var needed = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) ? AdminApi.ReadScope : AdminApi.WriteScope;
        if (!principal.Has(needed))
        {
            PlatformLog.AuthRejected(logger, request.Method, request.Path, $"principal {principal.Name} lacks {needed}");
            context.Response.Headers[HeaderNames.WWWAuthenticate] = $"Bearer realm=\"reconciler-platform\", error=\"insufficient_scope\", scope=\"{needed}\"";
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "forbidden", "Forbidden.", $"The token lacks the scope {needed}.");
            return;
        }

        {
            using var lease = rateLimiter.AttemptAcquire(principal.Name);
            if (!lease.IsAcquired)
            {
                metrics.RateLimited();
                PlatformLog.RateLimited(logger, principal.Name);
                var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.", $"Rate limit of principal {principal.Name} exceeded; retry after {retryAfter} s.");
                return;
            }
        }

        if (request.Query.Any(p => ControlCharacters.In(p.Key) || p.Value.Any(v => ControlCharacters.In(v))))
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "bad-request", "Bad request.", "A query parameter holds a control character.");
            return;
        }

        context.Items[PrincipalItem] = principal;
        await next(context);
    }
}
