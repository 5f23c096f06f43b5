using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Reconciler.Cli.Plumbing;
using Reconciler.Cli.Tests.Commands;
using Reconciler.Cli.Tests.Integration;
using Reconciler.Platform;

namespace Reconciler.Cli.Tests.Plumbing;

public sealed class SpeculativeObservationTests
{
    private static readonly CliEnvironment Environment = new(name => name == PlatformSession.TokenVariable ? CliHarness.ReconcilerToken : null, Path.GetTempPath(), IsInteractive: false, _ => { });

    [Fact]
    public void Nothing_starts_for_the_embedded_platform_nor_with_verbose_logs()
    {
        SpeculativeObservation.Start(new ConnectionSettings(null, null, null, null, LogLevel.Warning), Environment, CancellationToken.None).Should().BeNull("starting the embedded platform creates files");
        SpeculativeObservation.Start(new ConnectionSettings("http://127.0.0.1:1/", null, null, null, LogLevel.Debug), Environment, CancellationToken.None).Should().BeNull("-v would log requests before the validation's output");
    }

    [Fact]
    public async Task It_is_taken_with_the_settings_it_was_started_with_and_with_no_others()
    {
        await using var cli = await CliHarness.StartAsync();
        var settings = new ConnectionSettings(cli.Platform.BaseUrl.ToString(), null, null, null, LogLevel.Warning);

        await using (var speculative = SpeculativeObservation.Start(settings, Environment, CancellationToken.None)!)
            (await speculative.TakeAsync(settings with { RequestsPerSecond = 5 }, TextWriter.Null)).Should().BeNull();
        await using (var speculative = SpeculativeObservation.Start(settings, Environment, CancellationToken.None)!)
            (await speculative.TakeAsync(settings with { Token = "tok-other-0123456789" }, TextWriter.Null)).Should().BeNull();
        await using (var speculative = SpeculativeObservation.Start(settings, Environment, CancellationToken.None)!)
        {
            var taken = await speculative.TakeAsync(settings, TextWriter.Null);
            taken.Should().NotBeNull();
            await using var session = taken!.Value.Session;
            (await taken.Value.Observed).IsOk.Should().BeTrue();
        }
    }

    [Fact]
    public async Task One_not_taken_stops_reading_at_once_and_not_when_the_run_ends()
    {
        await using var cli = await CliHarness.StartAsync(new FaultInjectionOptions { AddedLatency = TimeSpan.FromMinutes(5) });
        using var requests = new PlatformRequests(cli.Platform);
        var settings = new ConnectionSettings(cli.Platform.BaseUrl.ToString(), null, null, null, LogLevel.Warning);
        await using var speculative = SpeculativeObservation.Start(settings, Environment, CancellationToken.None)!;
        await requests.WaitUntilAsync(r => r.Active > 0, "the early observation's requests");

        var take = speculative.TakeAsync(settings with { RequestsPerSecond = 5 }, TextWriter.Null);
        var finished = await Task.WhenAny(take, Task.Delay(TimeSpan.FromSeconds(30)));

        finished.Should().BeSameAs(take, "a PlatformConnection with other settings stops the early reading before the run reads again");
        (await take).Should().BeNull();
        var stopping = Stopwatch.StartNew();
        await requests.WaitUntilAsync(r => r.Active == 0, "the early requests cancelled");
        stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "its requests are cancelled, not left to time out");
        var begun = requests.Started;
        await Task.Delay(TimeSpan.FromSeconds(1));
        requests.Started.Should().Be(begun, "nothing retries them");
    }
}
