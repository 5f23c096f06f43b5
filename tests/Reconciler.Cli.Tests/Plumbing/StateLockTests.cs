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

    [Fact]
    public void A_folder_never_applied_from_has_no_lock_to_hold_and_gets_none_written()
    {
        StateLock.HoldIfFree(_directory).Should().BeNull();

        Directory.EnumerateFileSystemEntries(_directory).Should().BeEmpty("holding a lock early writes nothing");
    }

    [Fact]
    public async Task A_lock_held_from_the_start_writes_nothing_until_announced_and_keeps_other_runs_out()
    {
        (await StateLock.AcquireAsync(_directory, "apply", TimeSpan.Zero, TimeProvider.System, CancellationToken.None)).Lock!.Dispose();
        var state = Path.Combine(_directory, StateFolder.Name);
        var before = Snapshot(state);

        using (var early = StateLock.HoldIfFree(_directory))
        {
            early.Should().NotBeNull("the lock file of an earlier run is there and nobody holds it");
            var (other, error) = await StateLock.AcquireAsync(_directory, "apply", TimeSpan.Zero, TimeProvider.System, CancellationToken.None);
            other.Should().BeNull();
            error.Should().Contain("held by another run");
            StateLock.HoldIfFree(_directory).Should().BeNull("it is held");
        }

        Snapshot(state).Should().Equal(before, "a run whose manifests turn out invalid lets the lock go with nothing written");
        using var again = (await StateLock.AcquireAsync(_directory, "apply", TimeSpan.Zero, TimeProvider.System, CancellationToken.None)).Lock;
        again.Should().NotBeNull("the early holder let it go");
    }

    [Fact]
    public async Task An_announced_early_holder_is_named_to_other_runs_and_removes_its_name_when_done()
    {
        (await StateLock.AcquireAsync(_directory, "apply", TimeSpan.Zero, TimeProvider.System, CancellationToken.None)).Lock!.Dispose();
        var info = Path.Combine(_directory, StateFolder.Name, "state.lock.json");

        using (var early = StateLock.HoldIfFree(_directory)!)
        {
            await early.AnnounceAsync("apply", TimeProvider.System, CancellationToken.None);
            var (_, error) = await StateLock.AcquireAsync(_directory, "apply", TimeSpan.Zero, TimeProvider.System, CancellationToken.None);
            error.Should().Contain($"pid {Environment.ProcessId} on host {Environment.MachineName}");
        }

        File.Exists(info).Should().BeFalse();
    }

    [Fact]
    public async Task The_name_a_killed_holder_left_is_not_given_for_a_run_that_has_not_named_itself_yet()
    {
        (await StateLock.AcquireAsync(_directory, "apply", TimeSpan.Zero, TimeProvider.System, CancellationToken.None)).Lock!.Dispose();
        var info = Path.Combine(_directory, StateFolder.Name, "state.lock.json");
        await File.WriteAllTextAsync(info, $$"""{"ProcessId":{{int.MaxValue}},"Host":"{{Environment.MachineName}}","User":"someone","Operation":"apply","StartedAt":"2026-12-01T00:00:00+00:00"}""");

        using var early = StateLock.HoldIfFree(_directory);
        var (_, error) = await StateLock.AcquireAsync(_directory, "apply", TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        error.Should().Contain("held by another run").And.NotContain("someone", "that process is gone");
    }

    private static List<string> Snapshot(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal).Select(p => $"{Path.GetFileName(p)} {File.GetLastWriteTimeUtc(p):O} {new FileInfo(p).Length}")];

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
