namespace Reconciler.Kubernetes.Runtime;

/// <summary>What a <see cref="WorkQueue{TKey}"/> reports, as client-go's workqueue MetricsProvider: adds, retries, and how long keys wait and are worked on.</summary>
public interface IWorkQueueMetrics
{
    /// <summary>A key was added that was not already queued.</summary>
    void Added();

    /// <summary>A key was re-added after a failure, with backoff.</summary>
    void Retried();

    /// <summary>A key was handed to a worker after waiting <paramref name="waited"/> in the queue.</summary>
    void Queued(TimeSpan waited);

    /// <summary>A worker finished a key after <paramref name="took"/>.</summary>
    void Worked(TimeSpan took);
}
