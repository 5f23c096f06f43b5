using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Platform;
using Reconciler.Platform.Client;

namespace Reconciler.Benchmarks;

/// <summary>
/// Plans and applies a generated large organisation against the reference platform over loopback HTTP, and compares
/// the engine's apply throughput with the platform's raw create throughput measured in the same run.
/// Usage: <c>dotnet run -c Release --project bench/Reconciler.Benchmarks [agents] [roles] [business-units]</c>;
/// <c>-- --validate FOLDER [runs]</c> profiles manifest loading and validation alone; <c>-- --plan FOLDER URL [runs]</c>
/// the plan's phases after loading (observe, plan, render) against a running platform (token in RECONCILER_PLATFORM_TOKEN);
/// with <c>BENCH_ALLOCATIONS=1</c> both print the bytes allocated per type; <c>-- --operator-validate</c> the operator's validation of one changed custom resource.
/// </summary>
internal static class Program
{
    private const string Token = "bench-token-0123456789";
    private const int Parallelism = 8;

    private static async Task<int> Main(string[] args)
    {
        if (args is ["--operator-validate", ..])
            return OperatorValidationBench.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
        if (args is ["--validate", var folder, ..])
            return ProfileValidate(folder, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
        if (args is ["--plan", var planFolder, var url, ..])
            return await ProfilePlanAsync(planFolder, new Uri(url), args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5);

        var agents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var roles = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var units = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        var workspace = Path.Combine(Path.GetTempPath(), "reconciler-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workspace);

        var resources = OrganizationGenerator.Generate(agents, roles, units);
        Console.WriteLine($"Generated {resources.Count} resources: {agents} agents, {roles} roles, {units} business units, {OrganizationGenerator.OfficeHoursCount} office hours.");

        var raw = await MeasureRawCreatesAsync(Path.Combine(workspace, "raw.db"), Math.Min(agents, 2_000));
        Console.WriteLine($"Raw platform creates: {raw:F0}/s (parallelism {Parallelism}).");

        await using var platform = await StartPlatformAsync(Path.Combine(workspace, "engine.db"));
        using var counter = new RequestCounter();
        await using var services = ClientServices(platform.BaseUrl);
        var client = services.GetRequiredService<IPlatformClient>();
        var engine = new ReconcileEngine(client, new NoSecrets());

        var watch = Stopwatch.StartNew();
        var firstPlan = await engine.PlanAsync(resources, new PlanOptions(), CancellationToken.None);
        var planTime = watch.Elapsed;
        var plan = firstPlan.Value!.Plan;
        Console.WriteLine($"Plan (empty platform): {planTime.TotalSeconds:F2} s, {plan.ToAdd} to add, {plan.Errors.Count} errors.");

        counter.Reset();
        watch.Restart();
        var applied = await engine.ApplyAsync(firstPlan.Value, new InMemoryPendingCreateStore(), ChangeReasons.FromManifests(null), Parallelism, null, CancellationToken.None);
        var applyTime = watch.Elapsed;
        var applyRequests = counter.Snapshot();
        var created = applied.Count(ResourceOutcome.Created);
        var throughput = created / applyTime.TotalSeconds;
        foreach (var failure in applied.Results.Where(r => r.Outcome == ResourceOutcome.Failed).Take(3))
            Console.WriteLine($"  failed: {failure.Address}: {failure.Message}");
        Console.WriteLine($"Apply from empty: {applyTime.TotalSeconds:F2} s, {created} created, {applied.Count(ResourceOutcome.Failed)} failed, {throughput:F0} creates/s.");

        counter.Reset();
        watch.Restart();
        var again = await engine.PlanAsync(resources, new PlanOptions(), CancellationToken.None);
        var unchangedTime = watch.Elapsed;
        var unchangedRequests = counter.Snapshot();
        Console.WriteLine($"Unchanged run: {unchangedTime.TotalSeconds:F2} s, changes {again.Value!.Plan.Changes.Count}.");

        var process = Process.GetCurrentProcess();
        process.Refresh();
        var gc = GC.GetGCMemoryInfo();
        Console.WriteLine();
        Console.WriteLine($"| Measure ({agents:N0} agents, {roles} roles, {units} business units) | Value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| Plan against an empty platform | {planTime.TotalSeconds:F2} s |");
        Console.WriteLine($"| Apply from empty ({created:N0} creates, parallelism {Parallelism}) | {applyTime.TotalSeconds:F2} s ({throughput:F0} creates/s) |");
        Console.WriteLine($"| Unchanged run (observe + plan, zero writes) | {unchangedTime.TotalSeconds:F2} s |");
        Console.WriteLine($"| Platform raw create throughput (same run, parallelism {Parallelism}) | {raw:F0} creates/s |");
        Console.WriteLine($"| Apply throughput / raw create throughput | {throughput / raw:P0} |");
        Console.WriteLine($"| Peak working set (process, includes the in-process platform) | {process.PeakWorkingSet64 / (1024 * 1024):N0} MiB |");
        Console.WriteLine($"| GC heap at end / total allocated | {gc.HeapSizeBytes / (1024 * 1024):N0} MiB / {GC.GetTotalAllocatedBytes() / (1024 * 1024):N0} MiB |");
        Console.WriteLine();
        Console.WriteLine("Requests per collection (method): apply from empty | unchanged run");
        foreach (var key in applyRequests.Keys.Union(unchangedRequests.Keys).Order(StringComparer.Ordinal))
            Console.WriteLine($"  {key,-28} {applyRequests.GetValueOrDefault(key),8:N0} | {unchangedRequests.GetValueOrDefault(key),6:N0}");

        try
        {
            Directory.Delete(workspace, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold its files; the temp folder is disposable.
        }

        return applied.Succeeded && again.Value.Plan.Changes.Count == 0 ? 0 : 1;
    }

    /// <summary>Validates a folder of manifests several times in one warm process: time, CPU and bytes allocated per run.</summary>
    private static int ProfileValidate(string folder, int runs)
    {
        using var sampler = AllocationSampler.FromEnvironment();
        var valid = true;
        for (var i = 0; i < runs; i++)
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var report = Reconciler.Core.Validation.ManifestValidator.Validate([folder]);
            var elapsed = watch.Elapsed;
            valid &= report.IsValid;
            foreach (var diagnostic in report.Diagnostics.Take(3))
                Console.WriteLine($"  {diagnostic}");
            Console.WriteLine($"validate {report.Resources.Count} resources: {elapsed.TotalSeconds:F3} s, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F3} s, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024):F1} MiB");
        }

        sampler?.Print(40);
        return valid ? 0 : 1;
    }

    /// <summary>
    /// Loads a folder once, then observes, plans and renders it several times in one process against a running
    /// platform: CPU, bytes allocated and the collections (of any generation) with their pauses per phase (the first
    /// run includes JIT), and the bytes the plan keeps alive.
    /// </summary>
    private static async Task<int> ProfilePlanAsync(string folder, Uri url, int runs)
    {
        var report = Reconciler.Core.Validation.ManifestValidator.Validate([folder]);
        if (!report.IsValid)
            return 1;
        var token = Environment.GetEnvironmentVariable("RECONCILER_PLATFORM_TOKEN") ?? Token;
        var services = new ServiceCollection();
        services.AddAdminApiClient(options =>
        {
            options.BaseUrl = url;
            options.TokenProvider = new StaticTokenProvider(token);
            options.RequestsPerSecond = 0;
        });
        await using var provider = services.BuildServiceProvider();
        var engine = new ReconcileEngine(provider.GetRequiredService<IPlatformClient>(), new NoSecrets());
        using var sampler = AllocationSampler.FromEnvironment();
        var changes = 0;
        for (var i = 0; i < runs; i++)
        {
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            var observed = await Phase("observe", () => engine.ObserveAsync(CancellationToken.None));
            var plan = await Phase("plan", () => Task.FromResult(Planner.Plan(new DesiredState(report.Resources, new SecretValues(new Dictionary<SecretKeyRef, SecretLookup>())), observed.Value!, new PlanOptions())));
            // As the CLI prints it: in pieces, through a 64 KiB writer, to a sink that only counts the bytes.
            var text = await Phase("render", () =>
            {
                var sink = new CountingStream();
                using (var writer = new StreamWriter(sink, bufferSize: 64 * 1024) { AutoFlush = true })
                    PlanRenderer.WriteText(plan, writer);
                return Task.FromResult(sink.Length);
            });
            var kept = GC.GetTotalMemory(forceFullCollection: true) - baseline;
            GC.KeepAlive(observed);
            GC.KeepAlive(plan);
            changes = plan.Changes.Count;
            Console.WriteLine($"run {i + 1}: {changes} changes, {text} bytes of text; kept alive {kept / 1024 / 1024} MiB ({kept / Math.Max(1, report.Resources.Count)} bytes per resource)");
        }

        sampler?.Print(40);
        return changes == 0 ? 0 : 2;

        static async Task<T> Phase<T>(string name, Func<Task<T>> run)
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var (collections, paused) = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
            var watch = Stopwatch.StartNew();
            var result = await run();
            Console.WriteLine($"  {name,-8} {watch.Elapsed.TotalSeconds:F3} s, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F3} s, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024):F1} MiB, {GC.CollectionCount(0) - collections} collection(s) pausing {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms");
            return result;
        }
    }

    /// <summary>Creates agents straight through the client, no engine: the ceiling the engine's apply is compared to.</summary>
    private static async Task<double> MeasureRawCreatesAsync(string database, int count)
    {
        await using var platform = await StartPlatformAsync(database);
        await using var services = ClientServices(platform.BaseUrl);
        var client = services.GetRequiredService<IPlatformClient>();
        var roles = await client.ListAsync("roles", CancellationToken.None);
        var agentRole = roles.Value!.Single(r => r.Key == "agent").Id;
        var reason = new ChangeReason("bench: raw create");
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, ct) =>
        {
            var body = new JsonObject { ["email"] = $"raw{i}@bench.example", ["displayName"] = $"Raw {i}", ["roleId"] = agentRole, ["languages"] = new JsonArray("en") };
            var result = await client.CreateAsync("agents", body, Guid.NewGuid().ToString("N"), reason, ct);
            if (!result.IsOk)
                throw new InvalidOperationException(result.Message);
        });
        return count / watch.Elapsed.TotalSeconds;
    }

    private static Task<RunningPlatform> StartPlatformAsync(string database) => PlatformServer.StartAsync(new PlatformServerOptions
    {
        Database = new DatabaseOptions { ConnectionString = database },
        Tokens = [PlatformToken.Admin("bench", Token)],
        RateLimit = new RateLimitOptions { Enabled = false },
    });

    private static ServiceProvider ClientServices(Uri baseUrl)
    {
        var services = new ServiceCollection();
        services.AddAdminApiClient(options =>
        {
            options.BaseUrl = baseUrl;
            options.TokenProvider = new StaticTokenProvider(Token);
            options.RequestsPerSecond = 0;
        });
        return services.BuildServiceProvider();
    }

    private sealed class NoSecrets : ISecretResolver
    {
        public ValueTask<SecretLookup> ResolveAsync(SecretKeyRef reference, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SecretLookup.Missing("the benchmark uses no secrets"));
    }

    /// <summary>Counts the client's requests by collection and method from its Meter.</summary>
    private sealed class RequestCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private ConcurrentDictionary<string, long> _counts = new();

        public RequestCounter()
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PlatformClientMetrics.MeterName && instrument.Name == PlatformClientMetrics.RequestsInstrument)
                    l.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? method = null, collection = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "method")
                        method = tag.Value as string;
                    else if (tag.Key == "collection")
                        collection = tag.Value as string;
                }

                _counts.AddOrUpdate($"{collection} ({method})", value, (_, old) => old + value);
            });
            _listener.Start();
        }

        public void Reset() => _counts = new();

        public Dictionary<string, long> Snapshot() => new(_counts);

        public void Dispose() => _listener.Dispose();
    }
}
