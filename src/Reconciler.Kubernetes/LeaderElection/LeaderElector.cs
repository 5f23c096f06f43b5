using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Reconciler.Kubernetes.LeaderElection;

/// <summary>
/// One leader term on a coordination.k8s.io Lease, run by the library's <see cref="k8s.LeaderElection.LeaderElector"/>
/// and <see cref="LeaseLock"/>. What this adds: the leading work as a task whose token ends with the term, the
/// release of the lease on a clean stop (client-go's ReleaseOnCancel, which the library lacks), and one-line logs
/// instead of stack traces while the API server is unreachable.
/// </summary>
public sealed class LeaderElector
{
    private readonly k8s.IKubernetes _api;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile bool _isLeader;

    public LeaderElector(k8s.IKubernetes api, LeaderElectionOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Identity);
        if (options.RetryPeriod <= TimeSpan.Zero || options.RenewDeadline <= options.RetryPeriod || options.LeaseDuration <= options.RenewDeadline)
        {
            throw new ArgumentException("Leader election needs LeaseDuration > RenewDeadline > RetryPeriod > 0.", nameof(options));
        }

        _api = api;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public bool IsLeader => _isLeader;

    /// <summary>
    /// Waits to become leader, leads until the lease is lost, the leading work returns or
    /// <paramref name="cancellationToken"/> fires, then stops. Run it again to stand for election again.
    /// Never throws for API or network failures.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var releasing = false;
        var leaseLock = new LeaseLock(_api, _options.LeaseNamespace, _options.LeaseName, _options.Identity);

        // The lock swallows a refused create or update (RBAC, a missing namespace, an invalid name, a lost race) and
        // reports it only here; unheard, a candidate that can never write its Lease stands by for ever without a word.
        // client-go logs every such failure.
        leaseLock.OnHttpError += error =>
        {
            if (releasing)
            {
                LeaderLog.ReleaseFailed(_logger, _options.Identity, KubernetesErrors.Describe(error));
            }
            else
            {
                LeaderLog.AttemptFailed(_logger, _options.Identity, KubernetesErrors.Describe(error));
            }
        };
        var lease = new MicroTimeLeaseLock(leaseLock, _time);
        using var elector = new k8s.LeaderElection.LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        });
        using var term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Task.CompletedTask;
        elector.OnNewLeader += identity => _options.OnNewLeader?.Invoke(identity);
        elector.OnError += error => LeaderLog.AttemptFailed(_logger, _options.Identity, KubernetesErrors.Describe(error));
        elector.OnStartedLeading += () =>
        {
            _isLeader = true;
            LeaderLog.Acquired(_logger, _options.Identity, _options.LeaseNamespace, _options.LeaseName);
            work = LeadAsync(term);
        };

        var lost = false;
        try
        {
            await elector.RunUntilLeadershipLostAsync(term.Token);

            // It returns when a renewal failed, and also, without throwing, when asked to stop during a renewal wait.
            lost = !term.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            // Asked to stop, or the leading work ended.
        }
        catch (Exception ex) when (KubernetesErrors.IsTransient(ex))
        {
            // The library lets acquisition failures other than HTTP errors escape; wait a retry period and stand again.
            LeaderLog.AttemptFailed(_logger, _options.Identity, KubernetesErrors.Describe(ex));
            lost = true;
            await DelayAsync(_options.RetryPeriod, _time, cancellationToken);
        }
        finally
        {
            await term.CancelAsync();
            await work;
        }

        if (!_isLeader)
        {
            return;
        }

        if (!lost && _options.ReleaseOnCancel)
        {
            releasing = true;
            await ReleaseAsync(lease);
        }

        _isLeader = false;
        LeaderLog.Stopped(_logger, _options.Identity, lost ? "the lease could not be renewed" : "it stopped");
        _options.OnStoppedLeading?.Invoke();
    }

    private async Task LeadAsync(CancellationTokenSource term)
    {
        if (_options.OnStartedLeading is not { } callback)
        {
            return;
        }

        await Task.Yield();
        try
        {
            await callback(term.Token);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            // Leadership ended; the work stopped as asked.
        }
        catch (Exception ex)
        {
            LeaderLog.WorkFailed(_logger, ex, _options.Identity);
        }
        finally
        {
            await term.CancelAsync();
        }
    }

    private async Task ReleaseAsync(MicroTimeLeaseLock lease)
    {
        // Releasing is worth trying for as long as the lease would otherwise hold others back.
        using var timeout = new CancellationTokenSource(_options.LeaseDuration, _time);
        try
        {
            var record = await lease.GetAsync(timeout.Token);
            if (record?.HolderIdentity != _options.Identity)
            {
                return;
            }

            // An empty holder with a one-second duration lets the next candidate take over without waiting out the lease.
            // The lock stamps acquire and renew time with now.
            var released = await lease.UpdateAsync(
                new LeaderElectionRecord { HolderIdentity = "", LeaseDurationSeconds = 1, LeaderTransitions = record.LeaderTransitions },
                timeout.Token);
            if (released)
            {
                LeaderLog.Released(_logger, _options.Identity);
            }
        }
        catch (Exception ex) when (KubernetesErrors.IsTransient(ex) || ex is OperationCanceledException)
        {
            LeaderLog.ReleaseFailed(_logger, _options.Identity, KubernetesErrors.Describe(ex));
        }
    }

    private static async Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} could not acquire or renew the lease: {Error}")]
    public static partial void AttemptFailed(ILogger logger, string identity, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} could not release the lease; others take over when it expires: {Error}")]
    public static partial void ReleaseFailed(ILogger logger, string identity, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The leading work of {Identity} failed; giving up leadership")]
    public static partial void WorkFailed(ILogger logger, Exception exception, string identity);
}
