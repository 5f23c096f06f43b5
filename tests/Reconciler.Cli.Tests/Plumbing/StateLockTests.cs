using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests.Plumbing;

public sealed class StateLockTests : IDisposable
{
    // The longest --lock-timeout Durations accepts ends after the last instant a DateTimeOffset holds.
    private static readonly TimeSpan LongerThanTheCalendar = Durations.Parse("100000000h")!.Value;

    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-lock-").FullName;

    [Fact]
    public async Task A_free_lock_is_taken_whatever_the_timeout()
    {
        var (taken, error) = await StateLock.AcquireAsync(_directory, "apply", LongerThanTheCalendar, TimeProvider.System, CancellationToken.None);
        using var held = taken;

        error.Should().BeNull();
        taken.Should().NotBeNull();
    }

    [Fact]
    public async Task A_held_lock_with_a_timeout_past_the_calendar_is_waited_for_until_cancelled()
    {
        var (first, _) = await StateLock.AcquireAsync(_directory, "apply", TimeSpan.Zero, TimeProvider.System, CancellationToken.None);
        using var held = first;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var second = () => StateLock.AcquireAsync(_directory, "apply", LongerThanTheCalendar, TimeProvider.System, cancel.Token);

        await second.Should().ThrowAsync<OperationCanceledException>("it waits, as for any timeout, rather than failing to compute when to stop");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
