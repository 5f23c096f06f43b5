using Microsoft.Extensions.Logging;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;

namespace Reconciler.Operator.Connections;

/// <summary>
/// Tails each ready connection's audit trail (<c>GET audit-events?afterSequence=&lt;sequence&gt;</c>, one request per poll when
/// nothing changed), reads back only the objects the new events name, and hands them on so their resources are
/// compared with the platform within seconds of a hand edit. Events of the operator's own writes are skipped: the
/// cache already holds their result. A gap in the sequence or a failed read cannot be trusted, so the connection
/// lists everything again; the resync interval stays as the safety net.
/// </summary>
public sealed partial class AuditFeedTailer(
    PlatformConnections connections,
    IReadOnlyDictionary<string, IKindMapper> mappersByCollection,
    Action<PlatformConnectionState, AuditRecord> changed,
    Action<string> relist,
    TimeProvider time,
    ILogger logger)
{
    // How soon a new connection's first poll can come, at most.
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<PlatformConnectionState, DateTimeOffset> _nextPoll = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var live = connections.All.Where(c => c.IsReady && c.FeedSequence is not null).ToList();
            foreach (var gone in _nextPoll.Keys.Except(live).ToList())
                _nextPoll.Remove(gone);

            var now = time.GetUtcNow();
            var due = live.Where(c => _nextPoll.GetValueOrDefault(c) <= now).ToList();
            await Task.WhenAll(due.Select(c => PollAsync(c, cancellationToken)));
            foreach (var c in due)
                _nextPoll[c] = time.GetUtcNow() + c.AuditPollInterval;

            var sleep = _nextPoll.Values.Select(at => at - time.GetUtcNow()).Append(LongestSleep).Min();
            try
            {
                if (sleep > TimeSpan.Zero)
                    await Task.Delay(sleep, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One read of the feed; public so tests can drive a poll without waiting for the interval.</summary>
    public async Task PollAsync(PlatformConnectionState connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.FeedSequence is not { } from)
            return;
        PlatformResult<AuditFeedPage> page;
        try
        {
            page = await connection.Feed.ReadAuditFeedAsync(from, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        if (!page.IsOk)
        {
            Relist(connection, $"the audit trail could not be read: {page.Message}");
            return;
        }

        var expected = from + 1;
        var read = new HashSet<(string Collection, string Id)>();
        foreach (var e in page.Value!.Events)
        {
            if (e.Sequence != expected)
            {
                Relist(connection, $"the audit trail jumped from sequence {expected - 1} to {e.Sequence}");
                return;
            }

            expected++;
            if (connection.OwnWrites.Contains(e.RequestId) || !mappersByCollection.TryGetValue(e.Collection, out var controller))
                continue;
            if (read.Add((e.Collection, e.ObjectId)))
            {
                var fresh = controller.IsSingleton
                    ? await connection.Client.GetOrganizationAsync(cancellationToken)
                    : await connection.Client.GetAsync(e.Collection, e.ObjectId, cancellationToken);
                if (!fresh.IsOk && fresh.Outcome != PlatformOutcome.NotFound)
                {
                    Relist(connection, $"{e.Collection}/{e.ObjectId} named by the audit trail could not be read: {fresh.Message}");
                    return;
                }
            }

            Log.Changed(logger, connection.Namespace, e.Collection, e.Key, e.Action, e.Actor, e.Sequence);
            changed(connection, e);
        }

        // Only the poller moves the sequence; a relist in between set it to null and will set it again.
        if (connection.FeedSequence == from)
            connection.FeedSequence = Math.Max(page.Value.LatestSequence, expected - 1);
    }

    private void Relist(PlatformConnectionState connection, string why)
    {
        Log.Relisting(logger, connection.Namespace, why);
        connection.FeedSequence = null;
        connection.RelistRequested = true;
        relist(connection.Namespace);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Platform change in namespace {Namespace}: {Collection}/{Key} {Action} by {Actor} (audit sequence {Sequence})")]
        public static partial void Changed(ILogger logger, string @namespace, string collection, string key, string action, string actor, long sequence);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Listing the platform of namespace {Namespace} again: {Why}")]
        public static partial void Relisting(ILogger logger, string @namespace, string why);
    }
}
