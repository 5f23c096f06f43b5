using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace Reconciler.Kubernetes.LeaderElection;

/// <summary>
/// The library's <see cref="LeaseLock"/>, with the record's times taken from the injected clock and written as
/// MicroTime. The library stamps them with <see cref="DateTime.UtcNow"/>, and on a whole second without the
/// fraction the API server requires, so that acquire or renewal is rejected (422) and the term can end.
/// </summary>
internal sealed class MicroTimeLeaseLock(LeaseLock inner, TimeProvider timeProvider) : ILock
{
    private volatile LeaderElectionRecord? _read;

    public string Identity => inner.Identity;

    public async Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
    {
        var record = await inner.GetAsync(cancellationToken);
        if (record is not null)
        {
            // Every LeaseSpec field is optional (a Lease a chart or a person made may name no holder and no times). The
            // library takes a record lacking any of them for "no Lease" and creates it, which fails with 409
            // AlreadyExists at every attempt, so the candidate would never lead. As client-go reads them: no holder is
            // free to take, and a holder's expiry is timed from when this candidate first saw the record. The
            // stand-in times are derived from the Lease alone, so that rereading an unchanged Lease compares equal.
            record.HolderIdentity ??= "";
            record.RenewTime ??= record.AcquireTime ?? DateTime.UnixEpoch;
            record.AcquireTime ??= record.RenewTime;
        }

        _read = record;
        return record!;
    }

    public Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(Stamp(record, acquired: true), cancellationToken);

    /// <summary>A renewal keeps the acquire time it carries; a change of holder (taking over, releasing) is acquired now, as in client-go.</summary>
    public Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(Stamp(record, acquired: _read?.HolderIdentity != record.HolderIdentity), cancellationToken);

    public string Describe() => inner.Describe();

    // In place: the library keeps this record as the one it observed, which should be what was written.
    private LeaderElectionRecord Stamp(LeaderElectionRecord record, bool acquired)
    {
        var now = MicroTime.From(timeProvider.GetUtcNow().UtcDateTime);
        record.RenewTime = now;
        record.AcquireTime = acquired || record.AcquireTime is not { } kept ? now : MicroTime.From(kept);
        return record;
    }
}
