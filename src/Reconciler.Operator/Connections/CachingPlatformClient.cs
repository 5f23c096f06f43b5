using System.Text.Json.Nodes;
using Reconciler.Core.Platform;

namespace Reconciler.Operator.Connections;

/// <summary>Platform calls made through one connection, split into reads and writes; what the steady-state claim is measured with.</summary>
public sealed class PlatformCallCounter
{
    private long _reads;
    private long _writes;

    public long Reads => Interlocked.Read(ref _reads);

    public long Writes => Interlocked.Read(ref _writes);

    public long Total => Reads + Writes;

    internal void Read() => Interlocked.Increment(ref _reads);

    internal void Write() => Interlocked.Increment(ref _writes);
}

/// <summary>
/// Wraps the Admin API client so every successful write or single read lands in the connection's
/// <see cref="PlatformCache"/>: the executor stays unaware of the cache, and the cache never lags the operator's own writes.
/// </summary>
public sealed class CachingPlatformClient(IPlatformClient inner, PlatformCache cache, PlatformCallCounter counter, OwnRequestIds ownWrites) : IPlatformClient, IAuditFeed
{
    private const string OrganizationCollection = "organization";

    public async Task<PlatformResult<IReadOnlyList<PlatformObject>>> ListAsync(string collection, CancellationToken cancellationToken)
    {
        counter.Read();
        return await inner.ListAsync(collection, cancellationToken);
    }

    public async Task<PlatformResult<PlatformObject>> GetAsync(string collection, string id, CancellationToken cancellationToken)
    {
        counter.Read();
        var result = await inner.GetAsync(collection, id, cancellationToken);
        if (result.IsOk)
            cache.Upsert(collection, result.Value!);
        else if (result.Outcome == PlatformOutcome.NotFound)
            cache.Remove(collection, id);
        return result;
    }

    public async Task<PlatformResult<PlatformObject>> GetOrganizationAsync(CancellationToken cancellationToken)
    {
        counter.Read();
        var result = await inner.GetOrganizationAsync(cancellationToken);
        if (result.IsOk)
            cache.Upsert(OrganizationCollection, result.Value!);
        return result;
    }

    public async Task<PlatformResult<PlatformObject>> CreateAsync(string collection, JsonObject body, string idempotencyKey, ChangeReason reason, CancellationToken cancellationToken)
    {
        counter.Write();
        ownWrites.Add(reason.RequestId);
        var result = await inner.CreateAsync(collection, body, idempotencyKey, reason, cancellationToken);
        if (result.IsOk)
            await RememberAsync(collection, result.Value!, null, cancellationToken);
        return result;
    }

    public async Task<PlatformResult<PlatformObject>> ReplaceAsync(string collection, string id, long expectedVersion, JsonObject body, ChangeReason reason, CancellationToken cancellationToken)
    {
        counter.Write();
        ownWrites.Add(reason.RequestId);
        var result = await inner.ReplaceAsync(collection, id, expectedVersion, body, reason, cancellationToken);
        if (result.IsOk)
            await RememberAsync(collection, result.Value!, id, cancellationToken);
        return result;
    }

    public async Task<PlatformResult<PlatformObject>> ReplaceOrganizationAsync(long expectedVersion, JsonObject body, ChangeReason reason, CancellationToken cancellationToken)
    {
        counter.Write();
        ownWrites.Add(reason.RequestId);
        var result = await inner.ReplaceOrganizationAsync(expectedVersion, body, reason, cancellationToken);
        if (result.IsOk && IsWhole(result.Value!))
            cache.Upsert(OrganizationCollection, result.Value!);
        else if (result.IsOk)
            await GetOrganizationAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Keeps a write's answer, or, when the answer did not carry the object (a replace answered 204, a create answered
    /// 201 naming it only in <c>Location</c>), the object read back: kept as answered, an object without its key,
    /// version and labels would be planned against on the next reconcile as if the platform held it.
    /// </summary>
    private async Task RememberAsync(string collection, PlatformObject answered, string? writtenId, CancellationToken cancellationToken)
    {
        if (IsWhole(answered))
            cache.Upsert(collection, answered);
        else if ((answered.Id.Length > 0 ? answered.Id : writtenId) is { } id)
            await GetAsync(collection, id, cancellationToken);
    }

    /// <summary>Every object the platform holds has an id and a version from 1 on; an answer without either is not one.</summary>
    private static bool IsWhole(PlatformObject answered) => answered.Id.Length > 0 && answered.Version > 0;

    public async Task<PlatformResult<PlatformObject?>> DeleteAsync(string collection, string id, long expectedVersion, ChangeReason reason, CancellationToken cancellationToken)
    {
        counter.Write();
        ownWrites.Add(reason.RequestId);
        var result = await inner.DeleteAsync(collection, id, expectedVersion, reason, cancellationToken);
        if (result.IsOk || result.Outcome == PlatformOutcome.NotFound)
            cache.Remove(collection, id);
        return result;
    }

    public async Task<PlatformResult<IReadOnlyList<AuditRecord>>> ListAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        counter.Read();
        return await inner.ListAuditEventsAsync(query, cancellationToken);
    }

    public async Task<PlatformResult<AuditFeedPage>> ReadAuditFeedAsync(long afterSequence, CancellationToken cancellationToken)
    {
        if (inner is not IAuditFeed feed)
            return PlatformResult<AuditFeedPage>.Fail(PlatformOutcome.Unavailable, "this platform client cannot read the audit trail as a feed");
        counter.Read();
        return await feed.ReadAuditFeedAsync(afterSequence, cancellationToken);
    }

    public async Task<PlatformResult<IReadOnlyList<string>>> ListPermissionsAsync(CancellationToken cancellationToken)
    {
        counter.Read();
        return await inner.ListPermissionsAsync(cancellationToken);
    }

    public async Task<PlatformResult<IReadOnlyList<string>>> ListPlaceholdersAsync(CancellationToken cancellationToken)
    {
        counter.Read();
        return await inner.ListPlaceholdersAsync(cancellationToken);
    }
}
