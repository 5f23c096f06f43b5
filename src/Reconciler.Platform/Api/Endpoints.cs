using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Reconciler.Platform.Catalog;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Resources;
using Reconciler.Platform.Storage;

namespace Reconciler.Platform.Api;

/// <summary>Maps the Admin API (<c>/api/v1</c>) and <c>/healthz</c>.</summary>
internal static partial class Endpoints
{
    public static void Map(WebApplication app, IReadOnlyList<IResourceHandler> handlers)
    {
        app.MapGet("/healthz", HealthAsync).ExcludeFromDescription();

        var api = app.MapGroup(AdminApi.BasePath);
        api.MapGet("/permissions", ListPermissions)
            .WithName("ListPermissions").WithTags("permissions").Produces<Page<PermissionDto>>()
            .Documenting(DocumentedParameter.Limit, DocumentedParameter.Cursor)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/placeholders", ListPlaceholders)
            .WithName("ListPlaceholders").WithTags("placeholders").Produces<Page<PlaceholderDto>>()
            .Documenting(DocumentedParameter.Limit, DocumentedParameter.Cursor)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/audit-events", ListAuditAsync)
            .WithName("ListAuditEvents").WithTags("audit-events").Produces<AuditEventPage>()
            .Documenting(
                DocumentedParameter.Since,
                DocumentedParameter.AfterSequence,
                DocumentedParameter.Collection,
                DocumentedParameter.ObjectId,
                DocumentedParameter.Actor,
                DocumentedParameter.Limit,
                DocumentedParameter.Cursor)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        foreach (var handler in handlers)
        {
            if (handler.IsSingleton)
            {
                MapSingleton(api, handler);
            }
            else
            {
                MapCollection(api, handler);
            }

            handler.MapExtraRoutes(api);
        }
    }

    private static void MapCollection(RouteGroupBuilder api, IResourceHandler handler)
    {
        var name = handler.Collection;
        var tag = name;
        var dto = handler.DtoType;
        var page = typeof(Page<>).MakeGenericType(dto);
        var pascal = PascalCase(name);

        api.MapGet($"/{name}", (HttpContext http, ObjectStore store, CancellationToken ct) => ListAsync(handler, http, store, ct))
            .WithName($"List{pascal}").WithTags(tag).Produces(StatusCodes.Status200OK, page)
            .Documenting(DocumentedParameter.Limit, DocumentedParameter.Cursor, DocumentedParameter.LabelSelector)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet($"/{name}/{{id}}", (string id, ObjectStore store, CancellationToken ct) => GetAsync(handler, id, store, ct))
            .WithName($"Get{pascal}").WithTags(tag).Produces(StatusCodes.Status200OK, dto).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost($"/{name}", (HttpContext http, MutationService mutations, CancellationToken ct) => mutations.CreateAsync(handler, http, ct))
            .WithName($"Create{pascal}").WithTags(tag).Accepts(dto, "application/json").Documenting(DocumentedParameter.IdempotencyKey).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .Produces(StatusCodes.Status201Created, dto).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut($"/{name}/{{id}}", (string id, HttpContext http, MutationService mutations, CancellationToken ct) => mutations.ReplaceAsync(handler, id, http, ct))
            .WithName($"Replace{pascal}").WithTags(tag).Accepts(dto, "application/json").Documenting(DocumentedParameter.IfMatch).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .Produces(StatusCodes.Status200OK, dto).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete($"/{name}/{{id}}", (string id, HttpContext http, MutationService mutations, CancellationToken ct) => mutations.DeleteAsync(handler, id, http, ct))
            .WithName($"Delete{pascal}").WithTags(tag).Documenting(DocumentedParameter.IfMatch).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }

    private static void MapSingleton(RouteGroupBuilder api, IResourceHandler handler)
    {
        var name = handler.Collection;
        var dto = handler.DtoType;
        var pascal = PascalCase(name);
        api.MapGet($"/{name}", (ObjectStore store, CancellationToken ct) => GetAsync(handler, handler.SingletonId, store, ct))
            .WithName($"Get{pascal}").WithTags(name).Produces(StatusCodes.Status200OK, dto);
        api.MapPut($"/{name}", (HttpContext http, MutationService mutations, CancellationToken ct) => mutations.ReplaceAsync(handler, handler.SingletonId, http, ct))
            .WithName($"Replace{pascal}").WithTags(name).Accepts(dto, "application/json").Documenting(DocumentedParameter.IfMatch).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).Produces(StatusCodes.Status200OK, dto)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static string PascalCase(string collection) => string.Concat(collection.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static async Task<IResult> GetAsync(IResourceHandler handler, string id, ObjectStore store, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(handler.Collection, id, cancellationToken);
        return row is null
            ? Problems.NotFound(handler.Collection, id)
            : MutationService.ItemResult(handler, await handler.WithCountsAsync(handler.Deserialize(row.Doc), (c, f) => store.CountWhereTrueAsync(c, f, cancellationToken)), StatusCodes.Status200OK);
    }

    private static async Task<IResult> ListAsync(IResourceHandler handler, HttpContext http, ObjectStore store, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (!Limits.TryParse(query["limit"], out var limit))
        {
            return Problems.BadRequest($"limit must be an integer between 1 and {AdminApi.MaxPageSize}.");
        }

        if (!Cursor.TryDecode(query["cursor"], out var after))
        {
            return Problems.BadRequest("cursor is not valid; pass the nextCursor of a previous page.");
        }

        if (!LabelSelector.TryParse(query["labelSelector"], out var selector, out var error))
        {
            return Problems.BadRequest(error!);
        }

        var rows = await store.ListAsync(handler.Collection, after, selector, limit + 1, cancellationToken);
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        // Documents without secrets are stored exactly as they are presented: splice them without re-serialising.
        var json = new StringBuilder(rows.Sum(r => r.Doc.Length) + 64).Append("{\"items\":[");
        for (var i = 0; i < rows.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append(handler.HasSecrets ? MutationService.Serialize(handler, handler.Deserialize(rows[i].Doc)) : rows[i].Doc);
        }

        json.Append(']');
        if (more)
        {
            json.Append(",\"nextCursor\":\"").Append(Cursor.Encode(rows[^1].Seq)).Append('"');
        }

        json.Append('}');
        return Results.Text(json.ToString(), "application/json; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>
    /// The catalog is static and ordered, so a cursor is simply the count of items already returned and
    /// <c>limit</c>/<c>cursor</c> work as on every other list. Without <c>limit</c> the whole catalog is
    /// returned (not the usual default page): it is small, and clients written before paging existed
    /// read it in one request.
    /// </summary>
    private static IResult ListPermissions(HttpContext http) => ListCatalog(http, PermissionCatalog.All);

    /// <summary>The placeholder catalog, paged like the permission catalog.</summary>
    private static IResult ListPlaceholders(HttpContext http) => ListCatalog(http, PlaceholderCatalog.All);

    private static IResult ListCatalog<T>(HttpContext http, IReadOnlyList<T> all)
    {
        var query = http.Request.Query;
        var limit = all.Count;
        if (query.ContainsKey("limit") && !Limits.TryParse(query["limit"], out limit))
        {
            return Problems.BadRequest($"limit must be an integer between 1 and {AdminApi.MaxPageSize}.");
        }

        if (!Cursor.TryDecode(query["cursor"], out var offset) || offset < 0 || offset > all.Count)
        {
            return Problems.BadRequest("cursor is not valid; pass the nextCursor of a previous page.");
        }

        var start = (int)offset;
        var items = all.Skip(start).Take(limit).ToList();
        var end = start + items.Count;
        return Results.Json(
            new Page<T> { Items = items, NextCursor = end < all.Count ? Cursor.Encode(end) : null },
            WireJson.TypeInfo<Page<T>>());
    }

    private static async Task<IResult> ListAuditAsync(HttpContext http, ObjectStore store, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (!Limits.TryParse(query["limit"], out var limit))
        {
            return Problems.BadRequest($"limit must be an integer between 1 and {AdminApi.MaxPageSize}.");
        }

        if (!Cursor.TryDecode(query["cursor"], out var after))
        {
            return Problems.BadRequest("cursor is not valid; pass the nextCursor of a previous page.");
        }

        var afterSequence = query["afterSequence"].ToString();
        if (afterSequence.Length > 0)
        {
            if (!long.TryParse(afterSequence, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return Problems.BadRequest("afterSequence must be the sequence of an audit event (a whole number, 0 for the start).");
            }

            after = Math.Max(after, sequence);
        }

        string? sinceTime = null;
        var since = query["since"].ToString();
        if (since.Length > 0)
        {
            if (long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                // since=<sequence> returns events after that sequence.
                after = Math.Max(after, sequence);
            }
            else if (Rfc3339().IsMatch(since) && DateTimeOffset.TryParse(since.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                sinceTime = Timestamps.Format(at);
            }
            else
            {
                return Problems.BadRequest("since must be a sequence number or an RFC 3339 time.");
            }
        }

        // Read before the page: an event that commits in between shows in the page, and a tailer takes the larger of the two.
        var latest = await store.LatestAuditSequenceAsync(cancellationToken);
        var rows = await store.AuditAsync(
            new AuditQuery
            {
                AfterSequence = after,
                SinceTime = sinceTime,
                Collection = Optional(query["collection"]),
                ObjectId = Optional(query["objectId"]),
                Actor = Optional(query["actor"]),
                Take = limit + 1,
            },
            cancellationToken);
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var items = rows.Select(r => new AuditEventDto
        {
            Id = r.Id,
            Sequence = r.Sequence,
            At = Timestamps.Parse(r.At),
            Actor = r.Actor,
            Action = r.Action,
            Collection = r.Collection,
            ObjectId = r.ObjectId,
            Key = r.Key,
            Changes = JsonSerializer.Deserialize(r.Changes, WireJson.TypeInfo<List<FieldChangeDto>>()) ?? [],
            Reason = r.Reason,
            RequestId = r.RequestId,
            TraceId = r.TraceId,
        }).ToList();
        return Results.Json(new AuditEventPage { Items = items, NextCursor = more ? Cursor.Encode(rows[^1].Sequence) : null, LatestSequence = latest }, WireJson.TypeInfo<AuditEventPage>());
    }

    private static async Task<IResult> HealthAsync(ObjectStore store, CancellationToken cancellationToken)
    {
        try
        {
            return await store.PingAsync(cancellationToken)
                ? Health(StatusCodes.Status200OK, "Healthy", "database", store.Database.Provider.ToString())
                : Health(StatusCodes.Status503ServiceUnavailable, "Unhealthy", "database", store.Database.Provider.ToString());
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return Health(StatusCodes.Status503ServiceUnavailable, "Unhealthy", "error", ex.GetType().Name);
        }
    }

    /// <summary>The health body as a node: an anonymous type has no generated JSON metadata, which Native AOT needs.</summary>
    private static IResult Health(int statusCode, string status, string detail, string value) =>
        Results.Json(new JsonObject { ["status"] = status, [detail] = value }, WireJsonContext.Default.JsonObject, statusCode: statusCode);

    /// <summary>
    /// RFC 3339's date-time: the parser alone also took a culture's date ("12/04/2026" as MM/dd), a bare date and a time
    /// without an offset (assumed UTC), each a guess at what the caller meant.
    /// </summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    private static string? Optional(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 || value[0]!.Length == 0 ? null : value[0];
}
