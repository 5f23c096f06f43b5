using Microsoft.Extensions.Time.Testing;
using Reconciler.Kubernetes.Runtime;

namespace Reconciler.Kubernetes.Tests.Runtime;

public sealed class WorkQueueRateLimiterTests
{
    [Fact]
    public void ItemExponential_DoublesPerFailureFromTheBaseAndStopsAtTheCap()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1));

        var delays = Enumerable.Range(0, 10).Select(_ => limiter.When("a").TotalMilliseconds).ToList();

        delays.Should().Equal(5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000);
        limiter.NumRequeues("a").Should().Be(10);
    }

    [Fact]
    public void ItemExponential_AfterThousandsOfFailures_StaysAtTheCapInsteadOfOverflowing()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        for (var i = 0; i < 5000; i++)
        {
            limiter.When("a");
        }

        limiter.When("a").Should().Be(TimeSpan.FromSeconds(1000));
    }

    [Fact]
    public void ItemExponential_TracksItemsSeparately_AndForgetStartsOver()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1));
        limiter.When("a");
        limiter.When("a");

        limiter.When("b").Should().Be(TimeSpan.FromMilliseconds(5));
        limiter.Forget("a");
        limiter.NumRequeues("a").Should().Be(0);
        limiter.When("a").Should().Be(TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public void Bucket_AllowsABurstThenSpacesReservationsAtTheRate()
    {
        var clock = new FakeTimeProvider();
        var limiter = new BucketRateLimiter<string>(qps: 10, burst: 3, clock);

        var burst = Enumerable.Range(0, 3).Select(i => limiter.When($"item{i}")).ToList();
        var queued = Enumerable.Range(0, 3).Select(i => limiter.When($"late{i}").TotalMilliseconds).ToList();

        burst.Should().OnlyContain(delay => delay == TimeSpan.Zero);
        queued.Should().Equal([100, 200, 300], "each reservation beyond the burst waits one more 1/qps");

        clock.Advance(TimeSpan.FromSeconds(1));
        limiter.When("later").TotalMilliseconds.Should().BeApproximately(0, 0.001, "a second at 10 qps repays the three borrowed tokens and refills");
    }

    [Fact]
    public void MaxOf_TakesTheLongestDelayAndForgetsInAll()
    {
        var clock = new FakeTimeProvider();
        var limiter = new MaxOfRateLimiter<string>(
            new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new BucketRateLimiter<string>(qps: 10, burst: 1, clock));

        limiter.When("a").Should().Be(TimeSpan.FromMilliseconds(5), "the bucket still had a token");
        limiter.When("a").Should().Be(TimeSpan.FromMilliseconds(100), "the empty bucket wins over 10ms of item backoff");
        limiter.NumRequeues("a").Should().Be(2);
        limiter.Forget("a");
        limiter.NumRequeues("a").Should().Be(0);
    }
}
