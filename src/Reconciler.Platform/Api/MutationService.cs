using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Npgsql;
using Reconciler.Platform.Audit;
using Reconciler.Platform.Auth;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Diagnostics;
using Reconciler.Platform.Faults;
using Reconciler.Platform.Resources;
using Reconciler.Platform.Storage;
using Reconciler.Platform.Validation;

namespace Reconciler.Platform.Api;

/// <summary>
/// Create, replace and delete for every collection. Each mutation, its reference checks, its
/// audit event and (for creates) its idempotency record commit in one transaction.
/// </summary>
internal sealed class MutationService(
    ObjectStore store,
    PlatformServerOptions options,
    TimeProvider time,
    FaultInjector faults,
    PlatformMetrics metrics,
    ILogger<MutationService> logger)
{
    private const int MaxChainDepth = 1000;

    /// <summary>A deadlock ends one transaction of those waiting on each other, so each try gets further; this bounds a pathological run.</summary>
    private const int MaxDeadlockAttempts = 5;

    public async Task<IResult> CreateAsync(IResourceHandler handler, HttpContext http, CancellationToken cancellationToken)
    {
        var (body, unreadable) = await ReadBodyAsync(http, cancellationToken);
        if (unreadable is not null)
            return unreadable;
        var principal = PrincipalOf(http);
        var idempotencyKey = http.Request.Headers[AdminApi.IdempotencyKeyHeader].ToString();
        if (idempotencyKey.Length > 255)
        {
            return Problems.BadRequest("Idempotency-Key must be at most 255 characters.");
        }

        // RFC 9110 makes a control character in a field value invalid; as a key it would be stored, matched and logged.
        if (ControlCharacters.In(idempotencyKey))
        {
            return Problems.BadRequest("Idempotency-Key must not hold control characters.");
        }

        var requestHash = IdempotencyFingerprint.Of(body);
        var errors = new ValidationErrors();
        var incoming = handler.Parse(body, errors);
        if (incoming is not null)
        {
            handler.Validate(incoming, null, errors);
        }

        return await RetryOnDeadlockAsync(async () =>
        {
            var db = store.Database;
            string? committedId = null;
            try
            {
                await using var tx = await db.BeginWriteAsync(cancellationToken);
                if (idempotencyKey.Length > 0)
                {
                    await ObjectStore.LockIdempotencyKeyAsync(tx, db, principal.Name, idempotencyKey);
                    var previous = await ObjectStore.FindIdempotencyAsync(tx, principal.Name, idempotencyKey, IdempotencyCutoff(time.GetUtcNow()));
                    if (previous is not null)
                    {
                        if (!IdempotencyFingerprint.Matches(previous.RequestHash, requestHash, body) || previous.Collection != handler.Collection)
                        {
                            return Problems.Create(
                                StatusCodes.Status422UnprocessableEntity,
                                "idempotency-key-reused",
                                "Idempotency-Key reused with a different request.",
                                "This Idempotency-Key was first used with a different body or collection; use a new key for a new request.");
                        }

                        metrics.IdempotentReplay();
                        http.Response.Headers[AdminApi.IdempotentReplayedHeader] = "true";
                        return new StoredResponse((int)previous.Status, previous.Location, previous.Etag, previous.Body);
                    }
                }

                if (incoming is null || !errors.IsEmpty)
                {
                    return Problems.Validation(errors);
                }

                // Fresh per try: a deadlocked try may have noted some before it was rolled back.
                var referenceErrors = new ValidationErrors();
                await CheckReferencesAsync(tx, handler, incoming, null, referenceErrors);
                if (!referenceErrors.IsEmpty)
                {
                    return Problems.Validation(referenceErrors, "One or more fields are invalid or reference objects that do not exist; see errors.");
                }

                var key = handler.KeyOf(incoming);
                var existingId = await ObjectStore.IdByKeyAsync(tx.Connection, tx.Transaction, handler.Collection, key);
                if (existingId is not null)
                {
                    return Problems.DuplicateKey(handler.Collection, key, existingId);
                }

                var now = time.GetUtcNow();
                var id = $"{handler.IdPrefix}_{Guid.CreateVersion7(now):N}";
                var stored = handler.Prepare(incoming, null, now) with
                {
                    Id = id,
                    Key = key,
                    Version = 1,
                    Labels = incoming.Labels ?? [],
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                var node = handler.ToNode(stored);
                await ObjectStore.InsertAsync(tx, stored, handler.Collection, node.ToJsonString(), RefsOf(handler, stored), builtIn: false);

                var location = $"{AdminApi.BasePath}/{handler.Collection}/{id}";
                var etag = ETags.Format(1);
                var responseBody = Serialize(handler, stored);
                if (idempotencyKey.Length > 0)
                {
                    var row = new IdempotencyRow
                    {
                        Collection = handler.Collection,
                        RequestHash = requestHash,
                        Status = StatusCodes.Status201Created,
                        Location = location,
                        Etag = etag,
                        Body = responseBody,
                    };
                    await ObjectStore.SaveIdempotencyAsync(tx, principal.Name, idempotencyKey, row, now, IdempotencyCutoff(now));
                }

                // Last write before the commit: it takes the audit ordering lock (see ObjectStore.AppendAuditAsync).
                await AppendAuditAsync(tx, http, principal, "create", handler.Collection, stored, AuditDiff.Compute(null, node, handler.WriteOnly), now);
                await tx.CommitAsync(cancellationToken);
                committedId = id;
                Committed(principal, "create", handler.Collection, stored);
                return AfterCommit(http, new StoredResponse(StatusCodes.Status201Created, location, etag, responseBody));
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && committedId is null && incoming is not null)
            {
                return await LostKeyRaceAsync(handler, handler.KeyOf(incoming), cancellationToken);
            }
        });
    }

    public async Task<IResult> ReplaceAsync(IResourceHandler handler, string id, HttpContext http, CancellationToken cancellationToken)
    {
        var (body, unreadable) = await ReadBodyAsync(http, cancellationToken);
        if (unreadable is not null)
            return unreadable;
        var principal = PrincipalOf(http);
        if (IfMatchProblem(http, out var condition) is { } badIfMatch)
        {
            return badIfMatch;
        }

        var parseErrors = new ValidationErrors();
        var incoming = handler.Parse(body, parseErrors);
        return await RetryOnDeadlockAsync(async () =>
        {
            var db = store.Database;
            try
            {
                await using var tx = await db.BeginWriteAsync(cancellationToken);
                var (row, existing, refused) = await LockForChangeAsync(tx, handler, id, condition, http, "changed");
                if (refused is not null)
                {
                    return refused;
                }

                if (incoming is null)
                {
                    return Problems.Validation(parseErrors);
                }

                // Fresh per try: a deadlocked try may have noted some before it was rolled back.
                var errors = new ValidationErrors();
                handler.Validate(incoming, existing, errors);
                if (errors.IsEmpty)
                {
                    await CheckReferencesAsync(tx, handler, incoming, id, errors);
                }

                if (!errors.IsEmpty)
                {
                    return Problems.Validation(errors);
                }

                var key = handler.KeyOf(incoming);
                if (key != row.Key)
                {
                    var holder = await ObjectStore.IdByKeyAsync(tx.Connection, tx.Transaction, handler.Collection, key);
                    if (holder is not null && holder != id)
                    {
                        return Problems.DuplicateKey(handler.Collection, key, holder);
                    }
                }

                var now = time.GetUtcNow();
                var candidate = handler.Prepare(incoming, existing, now) with
                {
                    Id = id,
                    Key = key,
                    Version = row.Version,
                    Labels = incoming.Labels ?? [],
                    CreatedAt = existing.CreatedAt,
                    UpdatedAt = existing.UpdatedAt,
                };
                var (result, committed) = await WriteUpdateAsync(tx, handler, http, principal, row, existing, candidate, now, cancellationToken);
                return committed ? AfterCommit(http, result) : result;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && incoming is not null)
            {
                return await LostKeyRaceAsync(handler, handler.KeyOf(incoming), cancellationToken);
            }
        });
    }

    public async Task<IResult> DeleteAsync(IResourceHandler handler, string id, HttpContext http, CancellationToken cancellationToken)
    {
        var principal = PrincipalOf(http);
        if (IfMatchProblem(http, out var condition) is { } badIfMatch)
        {
            return badIfMatch;
        }

        return await RetryOnDeadlockAsync(async () =>
        {
            var db = store.Database;
            await using var tx = await db.BeginWriteAsync(cancellationToken);
            var (row, existing, refused) = await LockForChangeAsync(tx, handler, id, condition, http, "deleted");
            if (refused is not null)
            {
                return refused;
            }

            var referrers = await ObjectStore.ReferrersAsync(tx, id);
            if (referrers.Count > 0)
            {
                var users = string.Join(", ", referrers.Select(r => $"{r.Collection}/{r.Key} ({r.Field})"));
                return Problems.Conflict(
                    "still-referenced",
                    "The object is still referenced.",
                    $"{handler.Collection}/{row.Key} is still referenced by {users}{(referrers.Count == 20 ? " and more" : "")}; change those first.");
            }

            if (!await ObjectStore.DeleteAsync(tx, id, row.Version))
            {
                return Problems.PreconditionFailed(row.Version);
            }

            var now = time.GetUtcNow();
            await AppendAuditAsync(tx, http, principal, "delete", handler.Collection, existing, AuditDiff.Compute(handler.ToNode(existing), null, handler.WriteOnly), now);
            await tx.CommitAsync(cancellationToken);
            Committed(principal, "delete", handler.Collection, existing);
            return AfterCommit(http, Results.NoContent());
        });
    }

    /// <summary>
    /// Changes only server-maintained fields (a channel's connection state, as its provider reports it): no If-Match,
    /// since the report does not depend on what the caller last read; audited and versioned like any update.
    /// <paramref name="conflict"/> says why the object's current state does not allow the change (409), null when it does.
    /// </summary>
    public async Task<IResult> UpdateMaintainedAsync(
        IResourceHandler handler, string id, HttpContext http, Func<WireObject, DateTimeOffset, WireObject> change, CancellationToken cancellationToken, Func<WireObject, string?>? conflict = null)
    {
        var principal = PrincipalOf(http);
        return await RetryOnDeadlockAsync(async () =>
        {
            await using var tx = await store.Database.BeginWriteAsync(cancellationToken);
            var (row, existing, refused) = await LockForChangeAsync(tx, handler, id, null, http, "changed");
            if (refused is not null)
            {
                return refused;
            }

            if (conflict?.Invoke(existing) is { } why)
            {
                return Problems.Conflict("state-conflict", "The object's state does not allow this.", $"{handler.Collection}/{row.Key}: {why}.");
            }

            var now = time.GetUtcNow();
            return (await WriteUpdateAsync(tx, handler, http, principal, row, existing, change(existing, now), now, cancellationToken)).Result;
        });
    }

    /// <summary>
    /// Stores <paramref name="candidate"/> as the next version with its audit event and commits. Nothing changed: no new
    /// version and no event, so a repeated PUT is idempotent; <c>Committed</c> says whether anything was written.
    /// </summary>
    private async Task<(IResult Result, bool Committed)> WriteUpdateAsync(
        WriteTransaction tx, IResourceHandler handler, HttpContext http, Principal principal, ObjectRow row, WireObject existing, WireObject candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changes = AuditDiff.Compute(handler.ToNode(existing), handler.ToNode(candidate), handler.WriteOnly);
        if (changes.Count == 0)
        {
            return (ItemResult(handler, await WithCountsAsync(tx, handler, existing), StatusCodes.Status200OK), false);
        }

        var stored = candidate with { Version = row.Version + 1, UpdatedAt = now };
        if (!await ObjectStore.UpdateAsync(tx, stored, row.Version, handler.ToNode(stored).ToJsonString(), RefsOf(handler, stored)))
        {
            return (Problems.PreconditionFailed(row.Version), false);
        }

        await AppendAuditAsync(tx, http, principal, "update", handler.Collection, stored, changes, now);
        var counted = await WithCountsAsync(tx, handler, stored);
        await tx.CommitAsync(cancellationToken);
        Committed(principal, "update", handler.Collection, stored);
        return (ItemResult(handler, counted, StatusCodes.Status200OK), true);
    }

    /// <summary>Seeds built-in objects that do not exist yet (first start), with audit events by "system".</summary>
    public async Task SeedAsync(IResourceHandler handler, WireObject value, string? fixedId, CancellationToken cancellationToken)
    {
        var db = store.Database;
        await using var tx = await db.BeginWriteAsync(cancellationToken);
        var key = handler.KeyOf(value);
        if (await ObjectStore.IdByKeyAsync(tx.Connection, tx.Transaction, handler.Collection, key) is not null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var stored = value with
        {
            Id = fixedId ?? $"{handler.IdPrefix}_{key}",
            Key = key,
            Version = 1,
            Labels = value.Labels ?? [],
            CreatedAt = now,
            UpdatedAt = now,
        };
        var node = handler.ToNode(stored);
        await ObjectStore.InsertAsync(tx, stored, handler.Collection, node.ToJsonString(), RefsOf(handler, stored), handler.IsBuiltIn(stored));
        await ObjectStore.AppendAuditAsync(tx, AuditRowOf("system", "create", handler.Collection, stored, AuditDiff.Compute(null, node, handler.WriteOnly), now, "seeded on first start", null));
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs a write transaction again when PostgreSQL aborted it to break a deadlock. Two replaces that make agents each
    /// other's supervisor each lock their own row, then share-lock the other's; the database rolls one back whole, and
    /// its second run waits for the first to commit and sees it (here: a supervisor cycle, 422). PostgreSQL's manual
    /// asks applications to retry such a transaction; without this the client got a 500 for a request that was valid.
    /// </summary>
    private static async Task<IResult> RetryOnDeadlockAsync(Func<Task<IResult>> transaction)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await transaction();
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < MaxDeadlockAttempts)
            {
            }
        }
    }

    /// <summary>
    /// A concurrent write took the natural key between this transaction's check and its own write, and the unique
    /// constraint refused it: the 409 names the object now holding the key, as the check would have.
    /// </summary>
    private async Task<IResult> LostKeyRaceAsync(IResourceHandler handler, string key, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken);
        var holder = await ObjectStore.IdByKeyAsync(connection, null, handler.Collection, key);
        return holder is null
            ? Problems.Conflict("conflict", "Conflict.", "A concurrent request changed the collection; retry.")
            : Problems.DuplicateKey(handler.Collection, key, holder);
    }

    /// <summary>The object as a read inside this transaction would count it.</summary>
    private Task<WireObject> WithCountsAsync(WriteTransaction tx, IResourceHandler handler, WireObject stored) =>
        handler.WithCountsAsync(stored, (collection, field) => ObjectStore.CountWhereTrueAsync(tx, store.Database, collection, field));

    public static IResult ItemResult(IResourceHandler handler, WireObject stored, int status) =>
        new StoredResponse(status, null, ETags.Format(stored.Version), Serialize(handler, stored));

    public static string Serialize(IResourceHandler handler, WireObject stored) =>
        JsonSerializer.Serialize(handler.Present(stored), WireJson.TypeInfo(handler.DtoType));

    private async Task CheckReferencesAsync(WriteTransaction tx, IResourceHandler handler, WireObject incoming, string? selfId, ValidationErrors errors)
    {
        var db = store.Database;
        foreach (var reference in handler.References(incoming))
        {
            var collection = await ObjectStore.CollectionOfAsync(tx, db, reference.TargetId);
            if (collection != reference.Collection)
            {
                errors.Add(reference.Field, $"{reference.Collection}/{reference.TargetId} does not exist");
            }
        }

        if (selfId is null || !errors.IsEmpty)
            return;
        foreach (var reference in handler.References(incoming).Where(r => r.Collection == handler.Collection))
        {
            // Walk up the chain of a reference to the object's own collection (an agent's supervisor); reaching this object means a cycle.
            var current = reference.TargetId;
            for (var depth = 0; current is not null && depth < MaxChainDepth; depth++)
            {
                if (current == selfId)
                {
                    errors.Add(reference.Field, $"would create a {(reference.Field.EndsWith("Id", StringComparison.Ordinal) ? reference.Field[..^2] : reference.Field)} cycle");
                    break;
                }

                current = await ObjectStore.ReferenceTargetAsync(tx, current, reference.Field);
            }
        }
    }

    private static IEnumerable<(string Field, string TargetId)> RefsOf(IResourceHandler handler, WireObject stored) =>
        handler.References(stored).Select(r => (r.Field, r.TargetId));

    private static async Task AppendAuditAsync(
        WriteTransaction tx, HttpContext http, Principal principal, string action, string collection, WireObject stored, List<FieldChangeDto> changes, DateTimeOffset now)
    {
        var reason = http.Request.Headers[AdminApi.ChangeReasonHeader].ToString();
        var requestId = http.Request.Headers[AdminApi.RequestIdHeader].ToString();
        await ObjectStore.AppendAuditAsync(tx, AuditRowOf(
            principal.Name,
            action,
            collection,
            stored,
            changes,
            now,
            reason.Length == 0 ? null : Truncate(reason, 1000),
            requestId.Length == 0 ? null : Truncate(requestId, 200)) with { TraceId = TraceIdOf(http.Request.Headers.TraceParent.ToString()) });
    }

    /// <summary>The trace id of a valid W3C <c>traceparent</c>; anything else is not recorded (it is client input).</summary>
    private static string? TraceIdOf(string traceparent) =>
        traceparent.Length > 0 && ActivityContext.TryParse(traceparent, null, out var context) ? context.TraceId.ToHexString() : null;

    private static AuditRow AuditRowOf(string actor, string action, string collection, WireObject stored, List<FieldChangeDto> changes, DateTimeOffset now, string? reason, string? requestId) => new()
    {
        Id = $"evt_{Guid.CreateVersion7(now):N}",
        At = Timestamps.Format(now),
        Actor = actor,
        Action = action,
        Collection = collection,
        ObjectId = stored.Id!,
        Key = stored.Key!,
        Changes = JsonSerializer.Serialize(changes, WireJson.TypeInfo<List<FieldChangeDto>>()),
        Reason = reason,
        RequestId = requestId,
    };

    /// <summary>Replaces and deletes need If-Match (428 without it, 400 when it is no list of ETags).</summary>
    private static IResult? IfMatchProblem(HttpContext http, out IfMatch? condition)
    {
        if (ETags.TryParseIfMatch(http.Request.Headers.IfMatch.ToString(), out condition, out var missing))
        {
            return null;
        }

        return missing ? Problems.PreconditionRequired() : Problems.BadRequest("If-Match must be * or a comma-separated list of ETags such as \"3\".");
    }

    /// <summary>
    /// Locks the object a replace or delete is about to write and refuses when it is absent, built in, or not at the
    /// version the caller saw (412 carries the current ETag so the caller can re-read). Row and Existing are set
    /// whenever Refused is null.
    /// </summary>
    private async Task<(ObjectRow Row, WireObject Existing, IResult? Refused)> LockForChangeAsync(
        WriteTransaction tx, IResourceHandler handler, string id, IfMatch? condition, HttpContext http, string changedOrDeleted)
    {
        var row = await ObjectStore.LockAsync(tx, store.Database, handler.Collection, id);
        if (row is null)
        {
            return (null!, null!, Problems.NotFound(handler.Collection, id));
        }

        var existing = handler.Deserialize(row.Doc);
        if (handler.IsBuiltIn(existing))
        {
            return (row, existing, Problems.Conflict("built-in", "Built-in object.", $"{handler.Collection}/{row.Key} is built in and cannot be {changedOrDeleted}."));
        }

        if (condition is not null && !condition.Matches(row.Version))
        {
            http.Response.Headers.ETag = ETags.Format(row.Version);
            return (row, existing, Problems.PreconditionFailed(row.Version));
        }

        return (row, existing, null);
    }

    private void Committed(Principal principal, string action, string collection, WireObject stored)
    {
        metrics.Mutation(collection, action);
        PlatformLog.Mutated(logger, principal.Name, action, collection, stored.Id!, stored.Key!, stored.Version);
    }

    /// <summary>Fault injection: the mutation is committed, but the client never hears about it.</summary>
    private IResult AfterCommit(HttpContext http, IResult result)
    {
        if (faults.Enabled && faults.ShouldDropAfterCommit())
        {
            metrics.Fault("drop-after-commit");
            PlatformLog.FaultInjected(logger, "drop-after-commit", http.Request.Method, http.Request.Path);
            http.Abort();
            return Results.Empty;
        }

        return result;
    }

    private static Principal PrincipalOf(HttpContext http) => (Principal)http.Items[ApiGatekeeper.PrincipalItem]!;

    /// <summary>
    /// The request's body, or why it cannot be read: larger than the server reads (Kestrel's limit, 413) or broken
    /// framing (a bad chunk, 400). Both are the client's mistake, not a 500.
    /// </summary>
    internal static async Task<(byte[] Body, IResult? Unreadable)> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        try
        {
            await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], TooLarge(http));
        }
        catch (BadHttpRequestException)
        {
            // Kestrel's message names its parser's state, which the client need not know.
            return ([], Problems.BadRequest("The request body's framing is broken (its chunked encoding or Content-Length)."));
        }

        return (buffer.ToArray(), null);
    }

    private static IResult TooLarge(HttpContext http) =>
        Problems.Create(
            StatusCodes.Status413PayloadTooLarge,
            "payload-too-large",
            "Request body too large.",
            http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit
                ? $"A request body may hold at most {limit.ToString(CultureInfo.InvariantCulture)} bytes."
                : "The request body is larger than the server reads.");

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    /// <summary>Keys created before this have expired.</summary>
    // A lifetime reaching before year 1 (platform serve --idempotency-key-lifetime 100000000h) keeps every key: the
    // subtraction would throw and fail every create with a key.
    private DateTimeOffset IdempotencyCutoff(DateTimeOffset now) =>
        now - DateTimeOffset.MinValue <= options.IdempotencyKeyLifetime ? DateTimeOffset.MinValue : now - options.IdempotencyKeyLifetime;
}

/// <summary>A JSON response with optional Location and ETag (also used to replay idempotent creates).</summary>
internal sealed class StoredResponse(int status, string? location, string? etag, string body) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        if (location is not null)
        {
            response.Headers.Location = location;
        }

        if (etag is not null)
        {
            response.Headers.ETag = etag;
        }

        return response.WriteAsync(body, httpContext.RequestAborted);
    }
}

/// <summary>Strong ETags carry the version: <c>"7"</c>.</summary>
internal static class ETags
{
    /// <summary>etagc of RFC 9110 8.8.3: any visible character but the quote, and obs-text.</summary>
    private static readonly SearchValues<char> EntityTagCharacters = SearchValues.Create(
        [.. Enumerable.Range(0x21, 0x7E - 0x21 + 1).Where(c => c != '"').Select(c => (char)c), .. Enumerable.Range(0x80, 0x100 - 0x80).Select(c => (char)c)]);

    public static string Format(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// Parses If-Match (RFC 9110 13.1.1): <c>*</c>, or a comma-separated list of entity tags of which the strong ones
    /// naming a version count; a weak tag (<c>W/"3"</c>) never matches, since If-Match compares strongly.
    /// </summary>
    public static bool TryParseIfMatch(string header, out IfMatch? condition, out bool missing)
    {
        condition = null;
        missing = string.IsNullOrWhiteSpace(header);
        if (missing)
        {
            return false;
        }

        var value = header.AsSpan().Trim(" \t");
        if (value is "*")
        {
            condition = IfMatch.Any;
            return true;
        }

        var versions = new HashSet<long>();
        var tags = 0;
        var i = 0;
        while (true)
        {
            // A list may hold empty elements (RFC 9110 5.6.1): skip whitespace and commas between tags.
            while (i < value.Length && value[i] is ' ' or '\t' or ',')
            {
                i++;
            }

            if (i == value.Length)
            {
                break;
            }

            var weak = value[i..].StartsWith("W/", StringComparison.Ordinal);
            var open = weak ? i + 2 : i;
            var close = open < value.Length && value[open] == '"' ? value[(open + 1)..].IndexOf('"') : -1;
            if (close < 0)
            {
                return false;
            }

            var opaque = value.Slice(open + 1, close);
            if (opaque.ContainsAnyExcept(EntityTagCharacters))
            {
                return false;
            }

            // Strong comparison is of the opaque tags as written, so "01" is not version 1's "1".
            if (!weak && long.TryParse(opaque, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && opaque.SequenceEqual(version.ToString(CultureInfo.InvariantCulture)))
            {
                versions.Add(version);
            }

            tags++;
            i = open + close + 2;
            while (i < value.Length && value[i] is ' ' or '\t')
            {
                i++;
            }

            if (i < value.Length && value[i] != ',')
            {
                return false;
            }
        }

        if (tags == 0)
        {
            return false;
        }

        condition = new IfMatch(versions);
        return true;
    }
}

/// <summary>An If-Match condition: <see cref="Any"/> (<c>*</c>) or the versions its strong ETags name (maybe none).</summary>
internal sealed record IfMatch(IReadOnlySet<long>? Versions)
{
    public static readonly IfMatch Any = new((IReadOnlySet<long>?)null);

    public bool Matches(long version) => Versions is null || Versions.Contains(version);
}
