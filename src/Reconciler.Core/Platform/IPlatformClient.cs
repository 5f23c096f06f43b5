using System.Text.Json.Nodes;

namespace Reconciler.Core.Platform;

/// <summary>
/// The platform as the engine sees it (after Crossplane's ExternalClient): observing never mutates;
/// writes are idempotent (creates by idempotency key, updates and deletes by expected version).
/// Expected failures come back as a <see cref="PlatformResult{T}"/>, never as exceptions.
/// </summary>
public interface IPlatformClient
{
    /// <summary>Every object of a collection, all pages, in one pass.</summary>
    Task<PlatformResult<IReadOnlyList<PlatformObject>>> ListAsync(string collection, CancellationToken cancellationToken);

    /// <summary>One object, to re-observe it after a 412 or a 409 on create.</summary>
    Task<PlatformResult<PlatformObject>> GetAsync(string collection, string id, CancellationToken cancellationToken);

    /// <summary>The singleton organisation profile.</summary>
    Task<PlatformResult<PlatformObject>> GetOrganizationAsync(CancellationToken cancellationToken);

    Task<PlatformResult<PlatformObject>> CreateAsync(string collection, JsonObject body, string idempotencyKey, ChangeReason reason, CancellationToken cancellationToken);

    Task<PlatformResult<PlatformObject>> ReplaceAsync(string collection, string id, long expectedVersion, JsonObject body, ChangeReason reason, CancellationToken cancellationToken);

    Task<PlatformResult<PlatformObject>> ReplaceOrganizationAsync(long expectedVersion, JsonObject body, ChangeReason reason, CancellationToken cancellationToken);

    Task<PlatformResult<PlatformObject?>> DeleteAsync(string collection, string id, long expectedVersion, ChangeReason reason, CancellationToken cancellationToken);

    /// <summary>Audit events matching <paramref name="query"/>, oldest first, all pages.</summary>
    Task<PlatformResult<IReadOnlyList<AuditRecord>>> ListAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Names of the platform's permission catalog.</summary>
    Task<PlatformResult<IReadOnlyList<string>>> ListPermissionsAsync(CancellationToken cancellationToken);

    /// <summary>Names of the platform's placeholder catalog: what a reply template may write as <c>{{name}}</c>.</summary>
    Task<PlatformResult<IReadOnlyList<string>>> ListPlaceholdersAsync(CancellationToken cancellationToken);
}

/// <summary>Why a write happens; recorded in the platform's audit trail (<c>X-Change-Reason</c>).</summary>
public sealed record ChangeReason(string Text, string? RequestId = null)
{
    public override string ToString() => Text;
}

/// <summary>
/// Filters of an audit trail query; null means "any". <paramref name="Since"/> keeps events at or after a time, so a
/// query need not read a long history from its start; with <paramref name="AfterSequence"/> both bounds apply.
/// </summary>
public sealed record AuditQuery(long AfterSequence = 0, string? Collection = null, string? ObjectId = null, DateTimeOffset? Since = null);

/// <summary>One entry of the platform's audit trail, reduced to what drift reports need.</summary>
public sealed record AuditRecord(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Collection,
    string ObjectId,
    string Key,
    IReadOnlyList<string> ChangedFields,
    string? Reason,
    string? RequestId = null);

/// <summary>How a platform call ended.</summary>
public enum PlatformOutcome
{
    Ok,

    /// <summary>404: the object truly does not exist.</summary>
    NotFound,

    /// <summary>409: the natural key is taken (see <see cref="PlatformResult{T}.ExistingId"/>) or the object is built in.</summary>
    Conflict,

    /// <summary>412: the object changed since it was observed; re-observe.</summary>
    PreconditionFailed,

    /// <summary>422: the platform rejected the body (see <see cref="PlatformResult{T}.FieldErrors"/>).</summary>
    Invalid,

    /// <summary>401/403: the token is missing, wrong or lacks a scope.</summary>
    Unauthorized,

    /// <summary>429/5xx/network after retries ran out; never read as "not found".</summary>
    Unavailable,
}

/// <summary>The result of a platform call: a value, or why there is none.</summary>
public sealed record PlatformResult<T>
{
    public required PlatformOutcome Outcome { get; init; }

    public T? Value { get; init; }

    public string? Message { get; init; }

    public string? ExistingId { get; init; }

    public IReadOnlyDictionary<string, string[]>? FieldErrors { get; init; }

    /// <summary>The platform answered a create from its idempotency record (a replay), not by creating anything now.</summary>
    public bool Replayed { get; init; }

    /// <summary>
    /// An earlier attempt of this request went unanswered (a network error) or was answered 5xx, so the platform may have
    /// carried it out before this answer: a 409 or 412 may then meet the request's own doing.
    /// </summary>
    public bool Resent { get; init; }

    /// <summary>The platform could not be reached, or took a request and gave no answer in time; an apply stops starting new work.</summary>
    public bool Unreachable { get; init; }

    public bool IsOk => Outcome == PlatformOutcome.Ok;

    public static PlatformResult<T> Ok(T value) => new() { Outcome = PlatformOutcome.Ok, Value = value };

    public static PlatformResult<T> Fail(PlatformOutcome outcome, string message, string? existingId = null, IReadOnlyDictionary<string, string[]>? fieldErrors = null) =>
        new() { Outcome = outcome, Message = message, ExistingId = existingId, FieldErrors = fieldErrors };

    /// <summary>The same failure, carried as a result of another type.</summary>
    public PlatformResult<TOther> As<TOther>() =>
        new() { Outcome = Outcome, Message = Message, ExistingId = ExistingId, FieldErrors = FieldErrors, Resent = Resent, Unreachable = Unreachable };
}
