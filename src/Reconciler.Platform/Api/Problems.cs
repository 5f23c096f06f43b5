using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Validation;

namespace Reconciler.Platform.Api;

/// <summary>RFC 9457 problem responses; <c>type</c> URIs name the kind of error.</summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";
    private const string TypeBase = "https://reconciler.dev/problems/";

    /// <summary>422 with the per-field errors; 400 when the body was not JSON at all (RFC 9110: malformed syntax).</summary>
    public static IResult Validation(ValidationErrors errors, string? detail = null) =>
        errors.Malformed is { } malformed
            ? BadRequest(malformed)
            : Create(StatusCodes.Status422UnprocessableEntity, "validation", "The request is not valid.", detail ?? "One or more fields are invalid; see errors.", errors.ToDictionary());

    public static IResult NotFound(string collection, string id) =>
        Create(StatusCodes.Status404NotFound, "not-found", "Not found.", $"{collection}/{id} does not exist.");

    public static IResult DuplicateKey(string collection, string key, string existingId) =>
        Create(StatusCodes.Status409Conflict, "duplicate-key", "Duplicate natural key.", $"{collection} already has an object with key '{key}' (id {existingId}).", existingId: existingId);

    public static IResult Conflict(string kind, string title, string detail) =>
        Create(StatusCodes.Status409Conflict, kind, title, detail);

    public static IResult PreconditionFailed(long current) =>
        Create(StatusCodes.Status412PreconditionFailed, "stale-version", "The object has changed.", $"If-Match does not match the current version {current}; GET it again and retry.");

    public static IResult PreconditionRequired() =>
        Create(StatusCodes.Status428PreconditionRequired, "if-match-required", "If-Match is required.", "Send If-Match with the ETag of the version you are changing.");

    public static IResult BadRequest(string detail) =>
        Create(StatusCodes.Status400BadRequest, "bad-request", "Bad request.", detail);

    public static IResult Create(int status, string kind, string title, string detail, Dictionary<string, string[]>? errors = null, string? existingId = null) =>
        new ProblemResult(new ProblemDto
        {
            Type = TypeBase + kind,
            Title = title,
            Status = status,
            Detail = detail,
            Errors = errors,
            ExistingId = existingId,
        });

    /// <summary>Writes a problem directly, for middleware that runs outside endpoints.</summary>
    public static Task WriteAsync(HttpContext context, int status, string kind, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        var problem = new ProblemDto { Type = TypeBase + kind, Title = title, Status = status, Detail = detail };
        return context.Response.WriteAsync(JsonSerializer.Serialize(problem, WireJson.TypeInfo<ProblemDto>()), context.RequestAborted);
    }

    /// <summary>
    /// The body of an error the framework answers by itself (no route 404, 405, 415 for a body that is not JSON), which
    /// would otherwise be empty: the contract has every error as a problem.
    /// </summary>
    public static Task WriteForStatusAsync(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var code = context.Response.StatusCode;

        // Routing lists the methods mapped; HEAD is answered wherever GET is (see PlatformServer), so it is allowed too.
        var allowed = context.Response.Headers.Allow.ToString().Split(", ");
        if (code == StatusCodes.Status405MethodNotAllowed && allowed.Contains(HttpMethods.Get) && !allowed.Contains(HttpMethods.Head))
        {
            context.Response.Headers.Allow = string.Join(", ", allowed.Append(HttpMethods.Head).Order(StringComparer.Ordinal));
        }

        var title = ReasonPhrases.GetReasonPhrase(code) is { Length: > 0 } phrase ? phrase + "." : "Error.";
        var (kind, detail) = code switch
        {
            StatusCodes.Status404NotFound => ("not-found", $"Nothing answers {context.Request.Method} {context.Request.Path}; the API is described at /openapi/v1.json."),
            StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", $"{context.Request.Path} does not take {context.Request.Method}; the API is described at /openapi/v1.json."),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported-media-type", "Send the body as JSON, with Content-Type: application/json."),
            _ => ("http-" + code.ToString(System.Globalization.CultureInfo.InvariantCulture), title),
        };
        return WriteAsync(context, code, kind, title, detail);
    }

    private sealed class ProblemResult(ProblemDto problem) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => problem.Status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = problem.Status;
            httpContext.Response.ContentType = ContentType;
            return httpContext.Response.WriteAsync(JsonSerializer.Serialize(problem, WireJson.TypeInfo<ProblemDto>()), httpContext.RequestAborted);
        }
    }
}
