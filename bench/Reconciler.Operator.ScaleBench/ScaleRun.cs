using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Models;
using Reconciler.Kubernetes.Tests.Fakes;
using Reconciler.Operator.Kinds;
using Reconciler.Platform;
using CustomResource = Reconciler.Kubernetes.Models.KubernetesObject<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject>;

namespace Reconciler.Benchmarks;

/// <summary>
/// One organisation size, measured in one run: the CLI's apply against a fresh platform, then the operator's initial
/// sync of the same organisation as custom resources against another fresh platform, then a steady-state window.
/// </summary>
internal static class ScaleRun
{
    public const int Roles = 200;
    public const int Units = 100;
    private const string Namespace = "bench";
    private const string Token = "bench-operator-token-0123456789";
    private const int AgentsPerFile = 1000;
    private const int LookAhead = 50;

    public static async Task<ScaleRow> MeasureAsync(int agents, ScaleSettings settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "reconciler-operator-scale", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var organisation = OrganizationGenerator.Generate(agents, Roles, Units);
        using var counters = new PlatformCounters();
        try
        {
            var cli = settings.SkipCli ? null : await MeasureApplyAsync(organisation, settings, folder, counters);
            if (cli is { ExitCode: not 0 })
                return Failed(agents, organisation.Count, $"CLI apply exited {cli.ExitCode}: {cli.Tail}");
            var row = await MeasureOperatorAsync(organisation, settings, folder, counters, cli);
            return row with { Agents = agents, CliSeconds = cli?.Seconds, CliCpuSeconds = cli?.CpuSeconds, CliServerCpuSeconds = cli?.ServerCpuSeconds, CliPlatformRequests = cli?.PlatformRequests };
        }
        finally
        {
            TryDelete(folder);
        }
    }

    private static async Task<ApplyRun> MeasureApplyAsync(IReadOnlyList<Resource> organisation, ScaleSettings settings, string folder, PlatformCounters counters)
    {
        var manifests = Path.Combine(folder, "manifests");
        Directory.CreateDirectory(manifests);
        File.WriteAllText(Path.Combine(manifests, "organization.yaml"), ManifestWriter.ToYaml(organisation.Where(r => r is not Agent)));
        var agentList = organisation.OfType<Agent>().ToList();
        for (var start = 0; start < agentList.Count; start += AgentsPerFile)
            File.WriteAllText(Path.Combine(manifests, $"agents-{start / AgentsPerFile:D3}.yaml"), ManifestWriter.ToYaml(agentList.Skip(start).Take(AgentsPerFile)));

        await using var platform = await StartPlatformAsync(Path.Combine(folder, "cli.db"));
        var before = counters.Read();
        var serverCpu = ServerCpuSeconds();
        var watch = Stopwatch.StartNew();
        await using var apply = CliProcess.Start(settings.Cli, ["apply", "-f", manifests, "--auto-approve", "--platform-url", platform.BaseUrl.AbsoluteUri], new Dictionary<string, string> { ["RECONCILER_PLATFORM_TOKEN"] = Token });
        var cpu = await apply.WaitForExitAsync(CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        return new ApplyRun(apply.ExitCode, seconds, cpu, ServerCpuSeconds() - serverCpu, (counters.Read() - before).Requests, apply.Tail());
    }

    private static async Task<ScaleRow> MeasureOperatorAsync(IReadOnlyList<Resource> organisation, ScaleSettings settings, string folder, PlatformCounters counters, ApplyRun? cli)
    {
        await using var platform = await StartPlatformAsync(Path.Combine(folder, "operator.db"));
        await using var kube = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesApiServerOptions { BearerToken = "bench", HistoryLimit = 1_000_000 });
        foreach (var kind in ResourceCatalog.Kinds)
            kube.RegisterCustomResource(OperatorKinds.TypeOf(kind), hasStatusSubresource: true);

        var creating = Stopwatch.StartNew();
        using (var client = kube.CreateClient(new KubernetesClientOptions { Qps = 0 }))
            await CreateOrganisationAsync(client, organisation, platform.BaseUrl, settings.ResyncInterval);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  created {organisation.Count:N0} custom resources in {creating.Elapsed.TotalSeconds:F1} s; starting the operator"));

        var kubeconfig = Path.Combine(folder, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, kube.CreateKubeconfig(Namespace));
        kube.ResetRequests();
        var before = counters.Read();
        var serverCpu = ServerCpuSeconds();
        var watch = Stopwatch.StartNew();
        await using var op = CliProcess.Start(
            settings.Cli,
            ["operator", "--kubeconfig", kubeconfig, "--namespace", Namespace, "--leader-election", "false", "--metrics-address", "http://127.0.0.1:0", "--health-address", "http://127.0.0.1:0"],
            new Dictionary<string, string>());

        var pending = organisation.Select(r => (Type: OperatorKinds.TypeOf(r.Kind), r.Metadata.Name)).ToList();
        var lastReport = TimeSpan.Zero;
        while (pending.Count > 0)
        {
            if (op.HasExited)
                return Failed(0, organisation.Count, $"the operator exited with {op.ExitCode}: {op.Tail()}");
            if (watch.Elapsed > settings.SyncTimeout)
                return Failed(0, organisation.Count, $"{pending.Count} of {organisation.Count} resources not Ready after {settings.SyncTimeout}; operator output: {op.Tail()}");
            pending = StillPending(kube, pending);
            if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = watch.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {watch.Elapsed.TotalSeconds:F0} s: {organisation.Count - pending.Count:N0} of {organisation.Count:N0} Ready, operator CPU {op.CpuSeconds():F1} s"));
            }

            if (pending.Count > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        var syncSeconds = watch.Elapsed.TotalSeconds;
        var syncCpu = op.CpuSeconds();
        var syncServerCpu = ServerCpuSeconds() - serverCpu;
        var sync = counters.Read() - before;

        // Trailing events of the last reconciles belong to the initial sync.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var writes = kube.Requests.Where(r => r.Resource != "leases" && r.Verb is "patch" or "update" or "create").ToList();
        var finalizerWrites = writes.Count(r => r.Resource != "events" && r.Subresource is null);
        var statusWrites = writes.Count(r => r.Subresource == "status");
        var eventWrites = writes.Count(r => r.Resource == "events");

        kube.ResetRequests();
        var steadyBefore = counters.Read();
        await Task.Delay(TimeSpan.FromSeconds(settings.SteadySeconds));
        var steady = counters.Read() - steadyBefore;
        var steadyKubeWrites = kube.Requests.Count(r => r.Resource != "leases" && r.Verb is not ("get" or "list" or "watch"));
        var stillReady = organisation.Count(r => IsReady(kube.GetObject(OperatorKinds.TypeOf(r.Kind), Namespace, r.Metadata.Name)));

        var ok = stillReady == organisation.Count && steadyKubeWrites == 0 && steady.Mutations == 0;
        return new ScaleRow
        {
            Agents = 0,
            Resources = organisation.Count,
            OperatorSeconds = syncSeconds,
            OperatorCpuSeconds = syncCpu,
            OperatorServerCpuSeconds = syncServerCpu,
            CliSeconds = cli?.Seconds,
            CliCpuSeconds = cli?.CpuSeconds,
            CliServerCpuSeconds = cli?.ServerCpuSeconds,
            CliPlatformRequests = cli?.PlatformRequests,
            FinalizerWrites = finalizerWrites,
            StatusWrites = statusWrites,
            EventWrites = eventWrites,
            SyncPlatformRequests = sync.Requests,
            SyncPlatformMutations = sync.Mutations,
            SteadyKubernetesWrites = steadyKubeWrites,
            SteadyPlatformWrites = steady.Mutations,
            SteadyPlatformRequests = steady.Requests,
            SteadySeconds = settings.SteadySeconds,
            Ok = ok,
            Failure = ok ? null : $"after the steady window {stillReady} of {organisation.Count} Ready, {steadyKubeWrites} Kubernetes writes, {steady.Mutations} platform writes",
        };
    }

    /// <summary>
    /// The resources not Ready yet, looked at in order until <see cref="LookAhead"/> of them are found still pending,
    /// which then go to the back so the next poll looks further: each look copies an object out of the fake's store
    /// under its one lock, so looking at all 10,000 on every poll made the bench itself slow the API server the
    /// operator talks to. When every one left is Ready, one poll looks at them all, so the end is seen at once.
    /// </summary>
    private static List<(ResourceType Type, string Name)> StillPending(FakeKubernetesApiServer kube, List<(ResourceType Type, string Name)> pending)
    {
        var (unseen, waiting) = (new List<(ResourceType Type, string Name)>(), new List<(ResourceType Type, string Name)>());
        foreach (var p in pending)
        {
            if (waiting.Count >= LookAhead)
                unseen.Add(p);
            else if (!IsReady(kube.GetObject(p.Type, Namespace, p.Name)))
                waiting.Add(p);
        }

        return [.. unseen, .. waiting];
    }

    /// <summary>The token Secret, the PlatformConnection, then every resource, 16 creates in flight.</summary>
    private static async Task CreateOrganisationAsync(KubernetesClient client, IReadOnlyList<Resource> organisation, Uri platform, string resyncInterval)
    {
        await client.CreateAsync(ResourceType.Secrets, new Secret
        {
            Metadata = new Kubernetes.Models.ObjectMeta { Name = "platform-token", Namespace = Namespace },
            Data = new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes(Token) },
        });
        var connection = new PlatformConnectionSpec
        {
            Url = platform.AbsoluteUri,
            TokenSecretRef = new SecretKeyRef { Name = "platform-token", Key = "token" },
            ResyncInterval = resyncInterval,
        };
        await CreateAsync(client, nameof(PlatformConnection), "platform", connection);
        await Parallel.ForEachAsync(organisation, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (resource, ct) =>
            await CreateAsync(client, resource.Kind, resource.Metadata.Name, resource.SpecObject, ct));
    }

    private static Task<CustomResource> CreateAsync(KubernetesClient client, string kind, string name, object spec, CancellationToken cancellationToken = default) =>
        client.CreateAsync(OperatorKinds.TypeOf(kind), new CustomResource
        {
            Metadata = new Kubernetes.Models.ObjectMeta { Name = name, Namespace = Namespace },
            Spec = JsonSerializer.SerializeToNode(spec, spec.GetType(), KubernetesJson.Options)!.AsObject(),
        }, cancellationToken);

    private static bool IsReady(JsonObject? resource) =>
        (resource?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => c["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True") == true;

    private static Task<RunningPlatform> StartPlatformAsync(string database) =>
        PlatformServer.StartAsync(new PlatformServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            Database = DatabaseOptions.Parse(database),
            Tokens = [PlatformToken.Admin("reconciler", Token)],
        });

    private static ScaleRow Failed(int agents, int resources, string why) => new()
    {
        Agents = agents,
        Resources = resources,
        OperatorSeconds = double.NaN,
        OperatorCpuSeconds = double.NaN,
        OperatorServerCpuSeconds = double.NaN,
        FinalizerWrites = 0,
        StatusWrites = 0,
        EventWrites = 0,
        SyncPlatformRequests = 0,
        SyncPlatformMutations = 0,
        SteadyKubernetesWrites = 0,
        SteadyPlatformWrites = 0,
        SteadyPlatformRequests = 0,
        SteadySeconds = 0,
        Ok = false,
        Failure = why,
    };

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder; leftovers are harmless.
        }
    }

    private sealed record ApplyRun(int ExitCode, double Seconds, double CpuSeconds, double ServerCpuSeconds, long PlatformRequests, string Tail);

    /// <summary>This process's CPU time: the platform and the fake API server serving the run, as a real cluster would elsewhere.</summary>
    private static double ServerCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }
}
