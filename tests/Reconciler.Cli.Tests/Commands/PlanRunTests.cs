using System.Net;
using System.Net.Sockets;
using Reconciler.Cli.Tests.Integration;
using Reconciler.Platform;

namespace Reconciler.Cli.Tests.Commands;

/// <summary>
/// Observing the platform while the manifests load: with a URL from the flags, plan observes during loading (a manifest
/// file that is a named pipe holds the loading until the platform has seen the observation) and uses that observation;
/// a PlatformConnection that changes the settings makes it observe again; invalid manifests show only the validation.
/// -v runs observe after loading, as before, and serve as the reference.
/// </summary>
public sealed class PlanRunTests
{
    private const string Flags = "--platform-url {url}";

    [Fact]
    public async Task With_the_connection_in_the_flags_the_platform_is_observed_while_loading_and_once()
    {
        if (OperatingSystem.IsWindows())
            return; // named pipes as files are POSIX.
        await using var cli = await CliHarness.StartAsync();
        using var requests = new PlatformRequests(cli.Platform);
        var roles = HeldFile.MoveOutOf(Path.Combine(cli.Manifests, "roles.yaml"));
        var reference = await cli.RunAsync($"plan -f acme-support roles.yaml {Flags} --verbose");
        var observation = requests.Started;
        using var held = HeldFile.Replace(roles);

        var run = Task.Run(() => cli.RunAsync($"plan -f acme-support roles.yaml {Flags}"));
        await requests.WaitUntilAsync(r => r.Started == 2 * observation && r.Active == 0, "a whole observation during loading");
        await held.ReleaseAsync(await File.ReadAllTextAsync(Path.Combine(TestRepository.Root, "examples", "acme-support", "roles.yaml")));
        var plan = await run;

        plan.ExitCode.Should().Be(reference.ExitCode, plan.ToString());
        (plan.Output, plan.Error).Should().Be((reference.Output, reference.Error));
        requests.Started.Should().Be(2 * observation, "the observation made during loading is the plan's; the platform is not read again");
    }

    [Fact]
    public async Task A_PlatformConnection_that_changes_the_settings_discards_the_early_observation_and_observes_again()
    {
        if (OperatingSystem.IsWindows())
            return;
        await using var cli = await CliHarness.StartAsync();
        using var requests = new PlatformRequests(cli.Platform);
        var connectionFile = HeldFile.MoveOutOf(Path.Combine(cli.Manifests, "platform-connection.yaml"));
        var connection = await File.ReadAllTextAsync(connectionFile) + "  requestsPerSecond: 1000\n";
        await File.WriteAllTextAsync(connectionFile, connection);
        var reference = await cli.RunAsync($"plan -f acme-support platform-connection.yaml {Flags} --verbose");
        var observation = requests.Started;
        using var held = HeldFile.Replace(connectionFile);

        var run = Task.Run(() => cli.RunAsync($"plan -f acme-support platform-connection.yaml {Flags}"));
        await requests.WaitUntilAsync(r => r.Started == 2 * observation && r.Active == 0, "a whole observation during loading");
        await held.ReleaseAsync(connection);
        var plan = await run;

        plan.ExitCode.Should().Be(reference.ExitCode, plan.ToString());
        (plan.Output, plan.Error).Should().Be((reference.Output, reference.Error));
        requests.Started.Should().Be(3 * observation, "the early observation was made without the PlatformConnection's rate, so the platform is observed again with it");
    }

    [Fact]
    public async Task Invalid_manifests_print_only_the_validation_even_when_the_platform_refuses_the_token()
    {
        if (OperatingSystem.IsWindows())
            return;
        await using var cli = await CliHarness.StartAsync();
        using var requests = new PlatformRequests(cli.Platform);
        var (file, invalid) = await BreakAsync(cli);
        var moved = HeldFile.MoveOutOf(file);
        var reference = await cli.RunAsync("plan -f acme-support platform-connection.yaml");
        cli.Variables["RECONCILER_PLATFORM_TOKEN"] = "tok-wrong-0123456789";
        using var held = HeldFile.Replace(moved);

        var run = Task.Run(() => cli.RunAsync($"plan -f acme-support platform-connection.yaml {Flags}"));
        await requests.WaitUntilAsync(r => r.Started > 0 && r.Active == 0, "the early observation answered 401");
        await held.ReleaseAsync(invalid);
        var plan = await run;

        reference.ExitCode.Should().Be(1);
        reference.Error.Should().Contain("maxDeletes");
        (plan.ExitCode, plan.Output, plan.Error).Should().Be((1, "", reference.Error));
        Directory.Exists(Path.Combine(cli.Directory, ".reconciler")).Should().BeFalse("invalid input writes nothing");
    }

    [Fact]
    public async Task Invalid_manifests_print_only_the_validation_even_when_the_platform_is_unreachable()
    {
        await using var cli = await CliHarness.StartAsync();
        await BreakAsync(cli);
        var reference = await cli.RunAsync("plan -f acme-support");

        var plan = await cli.RunAsync($"plan -f acme-support --platform-url http://127.0.0.1:{ClosedPort()}");

        (plan.ExitCode, plan.Output, plan.Error).Should().Be((1, "", reference.Error));
    }

    [Fact]
    public async Task A_url_in_the_manifests_is_not_where_the_token_goes()
    {
        await using var cli = await CliHarness.StartAsync();
        using var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}/";
        var connectionFile = Path.Combine(cli.Manifests, "platform-connection.yaml");
        await File.AppendAllTextAsync(connectionFile, $"  url: {url}\n");

        var plan = await cli.RunAsync("plan -f acme-support");

        plan.ExitCode.Should().Be(1, plan.ToString());
        plan.Error.Should().Contain($"pass --platform-url {url}").And.NotContain(CliHarness.ReconcilerToken);
        elsewhere.Pending().Should().BeFalse("nothing connected to the server the manifests named");
        var flagged = await cli.RunAsync($"plan -f acme-support {Flags}");
        flagged.ExitCode.Should().Be(0, "the command line decides where the token goes");
        flagged.Error.Should().StartWith($"warning: the manifests name the platform {url} (PlatformConnection/platform); this run goes to");
    }

    [Fact]
    public async Task A_token_flag_warns_once_and_in_the_same_place()
    {
        await using var cli = await CliHarness.StartAsync();
        cli.Variables.Remove("RECONCILER_PLATFORM_TOKEN");
        var flags = $"{Flags} --token {CliHarness.ReconcilerToken}";

        var reference = await cli.RunAsync($"plan -f acme-support {flags} --verbose");
        var plan = await cli.RunAsync($"plan -f acme-support {flags}");

        plan.ExitCode.Should().Be(0, plan.ToString());
        (plan.Output, plan.Error).Should().Be((reference.Output, reference.Error));
        plan.Error.Should().StartWith("warning: --token").And.NotContain(CliHarness.ReconcilerToken);
        plan.Output.Should().NotContain(CliHarness.ReconcilerToken);
    }

    [Fact]
    public async Task Cancelling_while_the_manifests_load_cancels_the_early_requests()
    {
        if (OperatingSystem.IsWindows())
            return;
        await using var cli = await CliHarness.StartAsync(new FaultInjectionOptions { AddedLatency = TimeSpan.FromMinutes(5) });
        using var requests = new PlatformRequests(cli.Platform);
        var roles = HeldFile.MoveOutOf(Path.Combine(cli.Manifests, "roles.yaml"));
        var text = await File.ReadAllTextAsync(roles);
        using var held = HeldFile.Replace(roles);
        using var interrupt = new CancellationTokenSource();

        var run = Task.Run(() => cli.RunAsync($"plan -f acme-support roles.yaml {Flags}", interrupt.Token));
        await requests.WaitUntilAsync(r => r.Active > 0, "the early observation's requests");
        await interrupt.CancelAsync();
        await requests.WaitUntilAsync(r => r.Active == 0, "the requests cancelled while the loading still waits");
        await held.ReleaseAsync(text);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));

        finished.Should().BeSameAs(run, "a cancelled run ends without waiting for the platform");
    }

    /// <summary>Makes the example invalid (a maxDeletes that is not a number); the file and its text.</summary>
    private static async Task<(string File, string Text)> BreakAsync(CliHarness cli)
    {
        var file = Path.Combine(cli.Manifests, "platform-connection.yaml");
        var text = (await File.ReadAllTextAsync(file)).Replace("maxDeletes: 10", "maxDeletes: lots", StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text);
        return (file, text);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
