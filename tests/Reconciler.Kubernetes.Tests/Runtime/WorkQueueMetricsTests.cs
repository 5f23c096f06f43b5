using Microsoft.Extensions.Time.Testing;
using Reconciler.Kubernetes.Runtime;

namespace Reconciler.Kubernetes.Tests.Runtime;

/// <summary>The queue reports as client-go's does: an add only when the key was not already queued, a retry per rate-limited re-add, and the time a key waited and was worked on.</summary>
public sealed class WorkQueueMetricsTests
{
    private sealed class Recorder : IWorkQueueMetrics
    {
        public int Adds { get; private set; }

        public int Retries { get; private set; }

        public List<TimeSpan> Waits { get; } = [];

        public List<TimeSpan> Work { get; } = [];

        public void Added() => Adds++;

        public void Retried() => Retries++;

        public void Queued(TimeSpan waited) => Waits.Add(waited);

        public void Worked(TimeSpan took) => Work.Add(took);
    }

    [Fact]
    public async Task Adds_retries_queue_time_and_work_time_are_reported_per_key()
    {
        var clock = new FakeTimeProvider();
        var metrics = new Recorder();
        using var queue = new WorkQueue<string>(new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)), clock, metrics);

        queue.Add("a");
        queue.Add("a");
        clock.Advance(TimeSpan.FromSeconds(3));
        var (key, _) = await queue.GetAsync();
        clock.Advance(TimeSpan.FromSeconds(2));
        queue.AddRateLimited(key);
        queue.Done(key);

        metrics.Adds.Should().Be(1, "the second add found the key queued");
        metrics.Waits.Should().Equal(TimeSpan.FromSeconds(3));
        metrics.Work.Should().Equal(TimeSpan.FromSeconds(2));
        metrics.Retries.Should().Be(1);

        clock.Advance(TimeSpan.FromSeconds(1));
        (await queue.GetAsync()).Key.Should().Be("a");
        metrics.Adds.Should().Be(2, "the backoff's re-add is an add");
        metrics.Waits.Should().HaveCount(2);
    }
}
