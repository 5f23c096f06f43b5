using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Reconciler.Platform.Api;

/// <summary>
/// The request line and header section the server reads: Kestrel's defaults (8 KiB and 32 KiB), enforced here so that
/// past them the client gets a problem document, as for every other error, rather than Kestrel's empty 414 or 431.
/// Kestrel itself is given <see cref="KestrelCeiling"/>, past which it still answers alone: the most a connection's
/// request head may make the server hold.
/// </summary>
internal static class RequestLimits
{
    public const int MaxTargetLength = 8 * 1024;

    public const int MaxHeadersLength = 32 * 1024;

    public const int KestrelCeiling = 256 * 1024;

    public static Task Check(HttpContext context, RequestDelegate next)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value + context.Request.QueryString.Value;
        if (target.Length > MaxTargetLength)
        {
            return Problems.WriteAsync(context, StatusCodes.Status414UriTooLong, "uri-too-long", "URI too long.",
                $"A request's target (path and query) may hold at most {MaxTargetLength:N0} characters.");
        }

        // Counted as Kestrel counts them: each field's name and value, with its ": " and line break.
        var headers = 0L;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
                headers += name.Length + (value?.Length ?? 0) + 4;
        }

        if (headers > MaxHeadersLength)
        {
            return Problems.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "header-fields-too-large", "Request header fields too large.",
                $"A request's header fields may hold at most {MaxHeadersLength:N0} characters together.");
        }

        return next(context);
    }
}
