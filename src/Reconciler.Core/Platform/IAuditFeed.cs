namespace Reconciler.Core.Platform;

/// <summary>The platform's audit trail read as a change feed: the events after a sequence, oldest first.</summary>
public interface IAuditFeed
{
    /// <summary>Every event after <paramref name="afterSequence"/> (all pages), and the newest sequence of the trail.</summary>
    Task<PlatformResult<AuditFeedPage>> ReadAuditFeedAsync(long afterSequence, CancellationToken cancellationToken);
}

/// <summary>What one read of the feed returned; <see cref="LatestSequence"/> is where the next read starts.</summary>
public sealed record AuditFeedPage(IReadOnlyList<AuditRecord> Events, long LatestSequence);
