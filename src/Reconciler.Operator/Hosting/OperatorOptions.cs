using System.ComponentModel.DataAnnotations;
using Reconciler.Kubernetes.LeaderElection;

namespace Reconciler.Operator.Hosting;

/// <summary>How the operator connects, what it watches, and where it serves health and metrics.</summary>
public sealed class OperatorOptions : IValidatableObject
{
    /// <summary>Path of a kubeconfig; none means KUBECONFIG, then in-cluster, then ~/.kube/config.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Kubeconfig context; none means the current context.</summary>
    public string? Context { get; set; }

    /// <summary>Namespaces to watch; empty means all.</summary>
    public IList<string> Namespaces { get; } = [];

    [Required]
    public string MetricsAddress { get; set; } = "http://0.0.0.0:8080";

    [Required]
    public string HealthAddress { get; set; } = "http://0.0.0.0:8081";

    public bool LeaderElection { get; set; } = true;

    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public string LeaseName { get; set; } = "reconciler-operator";

    /// <summary>Namespace of the Lease; none means the pod's namespace, else <c>default</c>.</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>
    /// This replica's identity in the Lease and its events' reportingInstance; by default the host name plus a random
    /// UUID, unique per process (the chart passes the pod name).
    /// </summary>
    [Required]
    public string Identity { get; set; } = LeaderElectionOptions.NewIdentity();

    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 64)]
    public int Workers { get; set; } = 4;

    // The timings below are waited on with timers, which throw above about 49.7 days; a day is already far beyond any
    // useful value, so anything longer (or zero, or negative) is refused at start, naming the option.

    /// <summary>How long a Lease is valid without renewal; a standby takes over after it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Client-side request rate to the API server (client-go's QPS); 0, the default as in controller-runtime 0.15+,
    /// leaves rate limiting to the API server's Priority and Fairness.
    /// </summary>
    [Range(0, 100_000)]
    public double KubeApiQps { get; set; }

    /// <summary>Requests allowed above <see cref="KubeApiQps"/> in a burst; 0 means the QPS rounded up.</summary>
    [Range(0, 100_000)]
    public int KubeApiBurst { get; set; }

    /// <summary>First delay before re-watching after the API server closed a watch early.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan WatchBackoff { get; set; } = TimeSpan.FromMilliseconds(800);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(MetricsAddress), MetricsAddress), (nameof(HealthAddress), HealthAddress) })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult($"{name} must be an http(s) URL such as http://0.0.0.0:8080, not '{value}'.", [name]);
            }
        }

        // As client-go's leader election requires: the leader gives up (RenewDeadline) before a standby may take over
        // (LeaseDuration), and has tried to renew more than once by then (RetryPeriod).
        if (LeaseDuration <= RenewDeadline || RenewDeadline <= RetryPeriod)
        {
            yield return new ValidationResult(
                $"{nameof(LeaseDuration)} ({LeaseDuration}) must be longer than {nameof(RenewDeadline)} ({RenewDeadline}), and that longer than {nameof(RetryPeriod)} ({RetryPeriod}).",
                [nameof(LeaseDuration), nameof(RenewDeadline), nameof(RetryPeriod)]);
        }

        if (KubeApiBurst > 0 && KubeApiQps <= 0)
        {
            yield return new ValidationResult("--kube-api-burst needs --kube-api-qps: without a QPS there is no client-side limit to burst above.", [nameof(KubeApiBurst)]);
        }
    }
}
