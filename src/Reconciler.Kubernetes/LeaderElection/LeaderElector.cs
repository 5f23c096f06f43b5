using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes.LeaderElection;

/// <summary>
/// client-go's Lease-based leader election. Writes are optimistic (PUT with resourceVersion), and expiry is
/// judged by this candidate's own clock from when it last saw the lease change, never by comparing the
/// holder's renewTime with local time, so clock skew between nodes does not matter.
/// </summary>
public sealed class LeaderElector
{
    private const double JitterFactor = 1.2;

    private readonly IKubernetesClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private LeaseSpec? _observedSpec;
    private long _observedAt;
    private string? _reportedLeader;
    private volatile bool _isLeader;

    public LeaderElector(IKubernetesClient client, LeaderElectionOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Identity);
        if (options.RetryPeriod <= TimeSpan.Zero || options.RenewDeadline <= options.RetryPeriod * JitterFactor || options.LeaseDuration <= options.RenewDeadline)
        {
            throw new ArgumentException("Leader election needs LeaseDuration > RenewDeadline > 1.2 × RetryPeriod > 0.", nameof(options));
        }

        _client = client;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public bool IsLeader => _isLeader;

    /// <summary>
    /// Waits to become leader, leads until the lease is lost, the leading work returns or
    /// <paramref name="cancellationToken"/> fires, then stops. Run it again to stand for election again.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!await AcquireAsync(cancellationToken))
        {
            return;
        }

        _isLeader = true;
        LeaderLog.Acquired(_logger, _options.Identity, _options.LeaseNamespace, _options.LeaseName);
        var lost = false;
        using (var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var work = LeadAsync(leading);
            lost = await RenewAsync(leading.Token);
            await leading.CancelAsync();
            await work;
        }

        if (!lost && _options.ReleaseOnCancel)
        {
            await ReleaseAsync();
        }

        _isLeader = false;
        LeaderLog.Stopped(_logger, _options.Identity, lost ? "the lease could not be renewed" : "it stopped");
        _options.OnStoppedLeading?.Invoke();
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await TryAcquireOrRenewAsync(cancellationToken))
            {
                return true;
            }

            if (!await DelayAsync(Jitter(_options.RetryPeriod), cancellationToken))
            {
                return false;
            }
        }
    }

    private async Task LeadAsync(CancellationTokenSource leading)
    {
        if (_options.OnStartedLeading is not { } callback)
        {
            return;
        }

        await Task.Yield();
        try
        {
            await callback(leading.Token);
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
            // Leadership ended; the work stopped as asked.
        }
        catch (Exception ex)
        {
            LeaderLog.WorkFailed(_logger, ex, _options.Identity);
        }
        finally
        {
            await leading.CancelAsync();
        }
    }

    /// <summary>Renews every RetryPeriod; returns true when a renewal failed for RenewDeadline, false on cancellation.</summary>
    private async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        while (await DelayAsync(_options.RetryPeriod, cancellationToken))
        {
            using var deadline = new CancellationTokenSource(_options.RenewDeadline, _timeProvider);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            var renewed = false;
            while (!renewed && !attempt.IsCancellationRequested)
            {
                renewed = await TryAcquireOrRenewAsync(attempt.Token);
                if (!renewed)
                {
                    await DelayAsync(_options.RetryPeriod, attempt.Token);
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            if (!renewed)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var desired = new LeaseSpec
        {
            HolderIdentity = _options.Identity,
            LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds),
            AcquireTime = now,
            RenewTime = now,
            LeaseTransitions = 0,
        };

        try
        {
            var lease = await _client.TryGetAsync<Lease>(ResourceType.Leases, _options.LeaseNamespace, _options.LeaseName, cancellationToken);
            if (lease is null)
            {
                var created = await _client.CreateAsync(
                    ResourceType.Leases,
                    new Lease { Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.LeaseNamespace }, Spec = desired },
                    cancellationToken);
                Observe(created.Spec);
                return true;
            }

            var current = lease.Spec ?? new LeaseSpec();
            Observe(current);
            var holder = current.HolderIdentity;
            var expiresAfter = TimeSpan.FromSeconds(current.LeaseDurationSeconds ?? 0);
            if (!string.IsNullOrEmpty(holder) && holder != _options.Identity && _timeProvider.GetElapsedTime(_observedAt) < expiresAfter)
            {
                return false;
            }

            var renewing = holder == _options.Identity;
            desired = desired with
            {
                AcquireTime = renewing ? current.AcquireTime : now,
                LeaseTransitions = renewing ? current.LeaseTransitions ?? 0 : (current.LeaseTransitions ?? 0) + 1,
            };
            var updated = await _client.ReplaceAsync(ResourceType.Leases, lease with { Spec = desired }, cancellationToken);
            Observe(updated.Spec);
            return true;
        }
        catch (KubernetesApiException ex) when (ex.IsConflict || ex.IsAlreadyExists)
        {
            // Another candidate wrote first; the next attempt sees its record.
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException or TimeoutException or IOException)
        {
            LeaderLog.AttemptFailed(_logger, ex, _options.Identity);
            return false;
        }
    }

    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(_options.RenewDeadline, _timeProvider);
        try
        {
            var lease = await _client.TryGetAsync<Lease>(ResourceType.Leases, _options.LeaseNamespace, _options.LeaseName, timeout.Token);
            if (lease?.Spec?.HolderIdentity != _options.Identity)
            {
                return;
            }

            // An empty holder with a one-second duration lets the next candidate take over without waiting out the lease.
            var now = _timeProvider.GetUtcNow();
            await _client.ReplaceAsync(
                ResourceType.Leases,
                lease with { Spec = new LeaseSpec { HolderIdentity = "", LeaseDurationSeconds = 1, AcquireTime = now, RenewTime = now, LeaseTransitions = lease.Spec.LeaseTransitions } },
                timeout.Token);
            LeaderLog.Released(_logger, _options.Identity);
        }
        catch (Exception ex) when (ex is KubernetesApiException or HttpRequestException or TimeoutException or IOException or OperationCanceledException)
        {
            LeaderLog.ReleaseFailed(_logger, ex, _options.Identity);
        }
    }

    private void Observe(LeaseSpec? spec)
    {
        if (spec is null || spec == _observedSpec)
        {
            return;
        }

        _observedSpec = spec;
        _observedAt = _timeProvider.GetTimestamp();
        if (!string.IsNullOrEmpty(spec.HolderIdentity) && spec.HolderIdentity != _reportedLeader)
        {
            _reportedLeader = spec.HolderIdentity;
            _options.OnNewLeader?.Invoke(spec.HolderIdentity);
        }
    }

    private static TimeSpan Jitter(TimeSpan period) => period * (1 + (Random.Shared.NextDouble() * JitterFactor));

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

internal static partial class LeaderLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} became leader (lease {Namespace}/{Name})")]
    public static partial void Acquired(ILogger logger, string identity, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} stopped leading because {Why}")]
    public static partial void Stopped(ILogger logger, string identity, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} released the lease")]
    public static partial void Released(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} could not acquire or renew the lease")]
    public static partial void AttemptFailed(ILogger logger, Exception exception, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} could not release the lease; others take over when it expires")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string identity);

    [LoggerMessage(Level = LogLevel.Error, Message = "The leading work of {Identity} failed; giving up leadership")]
    public static partial void WorkFailed(ILogger logger, Exception exception, string identity);
}
