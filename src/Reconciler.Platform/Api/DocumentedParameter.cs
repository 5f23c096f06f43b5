using Microsoft.OpenApi;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Api;

/// <summary>
/// A query parameter or request header the handlers read from the request themselves, so the OpenAPI generator cannot
/// see it: the contract's paging, label selection, audit filters and concurrency headers, described once here.
/// </summary>
internal sealed record DocumentedParameter(string Name, ParameterLocation In, string Description, JsonSchemaType Type = JsonSchemaType.String, bool Required = false)
{
    public static readonly DocumentedParameter Limit = new("limit", ParameterLocation.Query, $"Items per page, 1 to {AdminApi.MaxPageSize}.", JsonSchemaType.Integer);

    public static readonly DocumentedParameter Cursor = new("cursor", ParameterLocation.Query, "The nextCursor of the previous page; absent for the first page.");

    public static readonly DocumentedParameter LabelSelector = new(
        "labelSelector",
        ParameterLocation.Query,
        "Kubernetes label selector, comma-separated requirements all required: k=v, k==v, k!=v, k in (a,b), k notin (a,b) (!= and notin also match objects without k), k, !k.");

    public static readonly DocumentedParameter Since = new("since", ParameterLocation.Query, "Events after this RFC 3339 time, or after this sequence number.");

    public static readonly DocumentedParameter AfterSequence = new("afterSequence", ParameterLocation.Query, "Events after this sequence (the last one seen), to tail the trail as a change feed.", JsonSchemaType.Integer);

    public static readonly DocumentedParameter Collection = new("collection", ParameterLocation.Query, "Only events of this collection.");

    public static readonly DocumentedParameter ObjectId = new("objectId", ParameterLocation.Query, "Only events of this object.");

    public static readonly DocumentedParameter Actor = new("actor", ParameterLocation.Query, "Only events by this principal.");

    public static readonly DocumentedParameter IdempotencyKey = new(
        AdminApi.IdempotencyKeyHeader,
        ParameterLocation.Header,
        "Up to 255 characters, none a control character (400). The same key with the same body replays the first response instead of creating again; with a different body it is a 422.");

    public static readonly DocumentedParameter IfMatch = new("If-Match", ParameterLocation.Header, "The ETag of the version being changed (\"3\"), or * for any; 428 without it, 412 when the version moved.", Required: true);

    public static readonly DocumentedParameter ChangeReason = new(AdminApi.ChangeReasonHeader, ParameterLocation.Header, "Why the change is made (e.g. git 1a2b3c4 Agent/alice); stored with the audit event.");

    public static readonly DocumentedParameter RequestId = new(AdminApi.RequestIdHeader, ParameterLocation.Header, "The caller's request id; stored with the audit event.");

    public static readonly DocumentedParameter TraceParent = new("traceparent", ParameterLocation.Header, "W3C trace context; its trace id is stored with the audit event as traceId.");

    public OpenApiParameter ToOpenApi() => new()
    {
        Name = Name,
        In = In,
        Description = Description,
        Required = Required,
        Schema = new OpenApiSchema { Type = Type },
    };
}
