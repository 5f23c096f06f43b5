using Microsoft.Extensions.Time.Testing;
using Reconciler.Kubernetes.Runtime;

namespace Reconciler.Kubernetes.Tests.Runtime;

public sealed class WorkQueueTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly WorkQueue<string> _queue;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(10));

    public WorkQueueTests()
    {
        _queue = new WorkQueue<string>(
            new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1)),
            _clock);
    }

    public void Dispose()
    {
        _queue.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public void Add_OfAKeyAlreadyQueued_IsANoOp()
    {
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("a");

        _queue.Count.Should().Be(2);
    }

    [Fact]
    public async Task Get_HandsOutKeysInTheOrderTheyWereFirstAdded()
    {
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("a");

        (await GetAsync()).Should().Be("a");
        (await GetAsync()).Should().Be("b");
        _queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task AKeyAddedWhileBeingProcessed_IsHeldBackUntilDone_AndThenQueuedOnce()
    {
        _queue.Add("a");
        var key = await GetAsync();

        _queue.Add("a");
        _queue.Add("a");

        _queue.Count.Should().Be(0, "a second worker must not get a key that is being processed");
        var second = _queue.GetAsync(_timeout.Token);
        second.IsCompleted.Should().BeFalse();

        _queue.Done(key);

        (await second).Key.Should().Be("a");
        _queue.Count.Should().Be(0, "the repeated adds collapsed into one");
    }

    [Fact]
    public async Task Done_WithoutAReAdd_LeavesTheQueueEmpty()
    {
        _queue.Add("a");
        _queue.Done(await GetAsync());

        _queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task Get_OnAnEmptyQueue_WaitsForTheNextAdd()
    {
        var pending = _queue.GetAsync(_timeout.Token);
        pending.IsCompleted.Should().BeFalse();

        _queue.Add("a");

        (await pending).Should().Be(("a", false));
        _queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task Get_WhenCancelled_GivesUpWithoutLosingTheNextKey()
    {
        using var cancel = new CancellationTokenSource();
        var abandoned = _queue.GetAsync(cancel.Token);

        await cancel.CancelAsync();
        _queue.Add("a");

        var act = async () => await abandoned;
        await act.Should().ThrowAsync<OperationCanceledException>();
        (await GetAsync()).Should().Be("a");
    }

    [Fact]
    public async Task AddAfter_QueuesTheKeyOnlyOnceTheDelayHasPassed()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(10));
        _queue.WaitingCount.Should().Be(1);

        _clock.Advance(TimeSpan.FromSeconds(9));
        _queue.Count.Should().Be(0);
        _clock.Advance(TimeSpan.FromSeconds(1));

        _queue.Count.Should().Be(1);
        _queue.WaitingCount.Should().Be(0);
        (await GetAsync()).Should().Be("a");
    }

    public static TheoryData<int, int, int> RepeatedDelays => new()
    {
        // first delay (s), second delay (s), when the key becomes ready (s)
        { 10, 5, 5 },
        { 5, 10, 5 },
        { 5, 5, 5 },
    };

    [Theory]
    [MemberData(nameof(RepeatedDelays))]
    public void AddAfter_ForAKeyAlreadyWaiting_KeepsTheEarlierTime(int first, int second, int readyAfter)
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(first));
        _queue.AddAfter("a", TimeSpan.FromSeconds(second));

        _clock.Advance(TimeSpan.FromSeconds(readyAfter) - TimeSpan.FromMilliseconds(1));
        _queue.Count.Should().Be(0);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        _queue.Count.Should().Be(1);
        _clock.Advance(TimeSpan.FromSeconds(20));
        _queue.Count.Should().Be(1, "the key is queued once, not once per AddAfter");
    }

    [Fact]
    public void AddAfter_BeyondWhatATimerHolds_WaitsOnTheSystemClockInsteadOfThrowing()
    {
        // The longest Go duration; TimeProvider.System's timers throw above about 49.7 days.
        using var queue = new WorkQueue<string>(timeProvider: TimeProvider.System);

        queue.AddAfter("a", TimeSpan.FromHours(2562047));

        queue.WaitingCount.Should().Be(1);
        queue.Count.Should().Be(0);
    }

    [Fact]
    public void AddAfter_BeyondWhatATimerHolds_QueuesTheKeyWhenItIsDue_NotWhenTheFirstTimerFires()
    {
        _queue.AddAfter("a", TimeSpan.FromDays(120));

        _clock.Advance(TimeSpan.FromDays(120) - TimeSpan.FromMilliseconds(1));
        _queue.Count.Should().Be(0);
        _queue.WaitingCount.Should().Be(1);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        _queue.Count.Should().Be(1);
    }

    [Fact]
    public void AddAfter_WithNoDelay_QueuesImmediately()
    {
        _queue.AddAfter("a", TimeSpan.Zero);

        _queue.Count.Should().Be(1);
    }

    [Fact]
    public async Task AddRateLimited_BacksOffExponentiallyPerKey_AndForgetResetsIt()
    {
        var readyAfter = new List<double>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            _queue.AddRateLimited("a");
            readyAfter.Add(await MillisecondsUntilQueuedAsync());
            _queue.Done(await GetAsync());
        }

        _queue.Forget("a");
        _queue.AddRateLimited("a");
        var afterForget = await MillisecondsUntilQueuedAsync();

        readyAfter.Should().Equal(5, 10, 20, 40);
        _queue.NumRequeues("a").Should().Be(1);
        afterForget.Should().Be(5);
    }

    [Fact]
    public async Task ShutDown_LetsWorkersDrainQueuedKeys_ThenReportsShutDown()
    {
        _queue.Add("a");
        var idle = new WorkQueue<string>(timeProvider: _clock);
        var waiting = idle.GetAsync(_timeout.Token);

        _queue.ShutDown();
        idle.ShutDown();
        _queue.Add("ignored");
        _queue.AddAfter("ignored", TimeSpan.FromSeconds(1));

        (await _queue.GetAsync(_timeout.Token)).Should().Be(("a", false));
        (await _queue.GetAsync(_timeout.Token)).ShutDown.Should().BeTrue();
        (await waiting).ShutDown.Should().BeTrue("a worker blocked in Get is released");
        _queue.WaitingCount.Should().Be(0);
        idle.Dispose();
    }

    [Fact]
    public async Task ManyWorkers_NeverProcessTheSameKeyAtTheSameTime_AndEveryAddIsEventuallyProcessed()
    {
        using var queue = new WorkQueue<int>(new ItemExponentialFailureRateLimiter<int>(TimeSpan.Zero, TimeSpan.Zero));
        var active = new int[10];
        var violations = 0;
        var lastAdd = new long[10];
        var processedSequence = new long[10];
        long sequence = 0;

        async Task WorkerAsync()
        {
            while (true)
            {
                var (key, shutDown) = await queue.GetAsync(_timeout.Token);
                if (shutDown)
                {
                    return;
                }

                if (Interlocked.Increment(ref active[key]) > 1)
                {
                    Interlocked.Increment(ref violations);
                }

                var seen = Interlocked.Increment(ref sequence);
                await Task.Yield();
                Interlocked.Exchange(ref processedSequence[key], seen);
                Interlocked.Decrement(ref active[key]);
                queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(WorkerAsync)).ToList();
        for (var i = 0; i < 2000; i++)
        {
            var key = i % 10;
            // Read before adding: a worker that starts in between sees the add as a re-add and runs again.
            Interlocked.Exchange(ref lastAdd[key], Interlocked.Read(ref sequence));
            queue.Add(key);
            if (i % 100 == 0)
            {
                await Task.Yield();
            }
        }

        await TestResources.EventuallyAsync(
            () => Enumerable.Range(0, 10).All(k => Interlocked.Read(ref processedSequence[k]) > Interlocked.Read(ref lastAdd[k])),
            "every key is processed after its last add");
        queue.ShutDown();
        await Task.WhenAll(workers);

        violations.Should().Be(0);
    }

    private async Task<string> GetAsync()
    {
        var (key, shutDown) = await _queue.GetAsync(_timeout.Token);
        shutDown.Should().BeFalse();
        return key;
    }

    /// <summary>Advances the clock a millisecond at a time until the queue has a key.</summary>
    private Task<double> MillisecondsUntilQueuedAsync()
    {
        var elapsed = 0;
        while (_queue.Count == 0)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            elapsed++;
            elapsed.Should().BeLessThan(10_000);
        }

        return Task.FromResult((double)elapsed);
    }
}
