using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;

namespace Reconciler.Benchmarks;

/// <summary>
/// Runs the <c>reconciler</c> CLI as a process against <c>reconciler platform serve</c> as a process (SQLite, loopback)
/// at several organisation sizes, beside the platform's raw create and list rates measured in the same run.
/// Usage: <c>dotnet run -c Release --project bench/Reconciler.Cli.ProcessBenchmark -- [--cli PATH] [--baseline PATH] [--repeat N] [agents...]</c>
/// (or <c>--write-manifests DIR AGENTS</c> to only write the manifests);
/// PATH is the CLI's apphost or dll (default: the Release build of src/Reconciler.Cli). With <c>--baseline</c>, another
/// build's validate and unchanged plan run interleaved with this one's against the same platform, so that a before/after
/// comparison sees the same machine load. Up to 1,000 agents it also times <c>one-get-per-agent.py</c>, a naive script's
/// read of every agent, against the same platform: the issue's yardstick for small organisations.
/// </summary>
internal static partial class Program
{
    private const string Token = "bench-token-0123456789abcdef";
    private const int Parallelism = 8;
    private const int Roles = 200;
    private const int Units = 100;
    private const int AgentsPerFile = 1000;
    private const int RawCreates = 2000;
    private const int ScriptedAgents = 1000;

    private static readonly string[] Collections = ["office-hours", "roles", "tag-groups", "sso-providers", "business-units", "agents"];

    private static async Task<int> Main(string[] args)
    {
        string? cli = null;
        string? baseline = null;
        var repeat = 3;
        var sizes = new List<int>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--cli": cli = Path.GetFullPath(args[++i]); break;
                case "--baseline": baseline = Path.GetFullPath(args[++i]); break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;

                // For profiling by hand: write the manifests of one size and stop.
                case "--write-manifests":
                    WriteManifests(Path.GetFullPath(args[i + 1]), int.Parse(args[i + 2], CultureInfo.InvariantCulture));
                    return 0;
                default: sizes.Add(int.Parse(args[i], CultureInfo.InvariantCulture)); break;
            }
        }

        cli ??= DefaultCli();
        if (sizes.Count == 0)
            sizes.AddRange([100, 1_000, 10_000, 50_000]);
        Console.WriteLine($"CLI: {cli}");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; medians of {repeat} runs for validate, unchanged and apply (each apply paired with raw creates just before it).");

        var workspace = Path.Combine(Path.GetTempPath(), "reconciler-process-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workspace);
        var rows = new List<Row>();
        var ok = true;
        try
        {
            var example = FindRepositoryFile("examples/acme-support");
            var exampleValidate = Median(await RepeatAsync(repeat, () => RunCliAsync(cli, ["validate", "-f", example], workspace)));
            Console.WriteLine($"validate of examples/acme-support (including start-up): {exampleValidate.Seconds:F2} s (CPU {exampleValidate.CpuSeconds:F2} s), peak RSS {exampleValidate.PeakRssMiB:F0} MiB");
            if (baseline is not null)
            {
                var (ours, theirs) = await InterleavedAsync(repeat, cli, baseline, ["validate", "-f", example], workspace);
                Console.WriteLine(Compare("validate of examples/acme-support", ours, theirs));
            }

            foreach (var agents in sizes)
            {
                var row = await MeasureAsync(cli, baseline, agents, repeat, Path.Combine(workspace, agents.ToString(CultureInfo.InvariantCulture)));
                ok &= row.Ok;
                rows.Add(row);
            }
        }
        finally
        {
            TryDelete(workspace);
        }

        Console.WriteLine();
        Console.WriteLine($"| agents | unchanged run (requests) [CPU] | its requests alone, raw | one GET per agent, Python script | validate [CPU] | apply from empty, whole command | raw creates of the same objects | apply / raw (the median pair's) | first create committed after start | create phase / raw | raw creates of minimal agents (at most {RawCreates:N0}) | apply / minimal | peak RSS validate / plan / apply | plan RSS per agent |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Agents:N0} | {r.Unchanged.Seconds:F2} s ({r.UnchangedRequests}) [{r.UnchangedCpu:F2} s] | {r.RawListSeconds:F2} s | {(r.ScriptSeconds is { } script ? $"{script:F2} s" : "—")} | {r.Validate.Seconds:F2} s [{r.ValidateCpu:F2} s] | {r.Apply.Seconds:F1} s ({r.ApplyRate:F0}/s) | {r.RawCreateRate:F0}/s | {r.ApplyToRaw:P0} | {r.BeforeFirstCreate * 1000:F0} ms | {r.CreatePhaseToRaw:P0} | {r.MinimalCreateRate:F0}/s | {r.ApplyRate / r.MinimalCreateRate:P0} | {r.Validate.PeakRssMiB:F0} / {r.Unchanged.PeakRssMiB:F0} / {r.Apply.PeakRssMiB:F0} MiB | {r.Unchanged.PeakRssMiB * 1024 / r.Agents:F1} KiB |"));
        }

        if (rows.Count > 1)
        {
            var (a, b) = (rows[^2], rows[^1]);
            var slope = (b.Unchanged.PeakRssMiB - a.Unchanged.PeakRssMiB) * 1024 / (b.Agents - a.Agents);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Marginal plan memory between {a.Agents:N0} and {b.Agents:N0} agents: {slope:F1} KiB per agent."));
        }

        return ok ? 0 : 1;
    }

    private static async Task<Row> MeasureAsync(string cli, string? baseline, int agents, int repeat, string folder)
    {
        var manifests = Path.Combine(folder, "manifests");
        var resourceList = WriteManifests(manifests, agents);
        var resources = resourceList.Count;

        // Apply from empty beside the platform's raw creates of the same objects at the CLI's parallelism, in pairs that each
        // see the same machine load (its speed drifts by a quarter within the hour), every run on a fresh database. The last
        // apply's platform then serves the unchanged runs.
        var pairs = new List<(CliRun Apply, double RawRate, AuditTimeline Writes)>();
        PlatformProcess? platform = null;
        for (var i = 0; i < repeat; i++)
        {
            // Only the platform under measurement runs: the one the last apply made is stopped before the next pair.
            if (platform is not null)
                await platform.DisposeAsync();
            double rawRate;
            await using (var raw = await PlatformProcess.StartAsync(cli, Path.Combine(folder, $"raw-{i}.db")))
                rawRate = await RawCreatesOfTheSameObjectsAsync(cli, raw, manifests, resourceList, folder);
            platform = await PlatformProcess.StartAsync(cli, Path.Combine(folder, $"cli-{i}.db"));
            var run = await RunCliAsync(cli, ["apply", "-f", manifests, "--auto-approve", "--parallelism", Parallelism.ToString(CultureInfo.InvariantCulture), "--platform-url", platform.BaseUrl.ToString(), "--requests-per-second", "0"], folder);
            pairs.Add((run, rawRate, await AuditTimeline.ReadAsync(platform.Http)));
        }

        await using var applied = platform!;
        var apply = Median([.. pairs.Select(p => p.Apply)]);
        var rawCreateRate = Median([.. pairs.Select(p => p.RawRate)]);
        var applyToRaw = Median([.. pairs.Select(p => resources / p.Apply.Seconds / p.RawRate)]);

        // The whole command in two parts: until the platform commits its first create (start-up, loading, the plan and
        // its text), and from there to the last create, whose rate compares with the raw creates' own.
        var beforeFirstCreate = Median([.. pairs.Select(p => (p.Writes.First - p.Apply.Started).TotalSeconds)]);
        var createPhaseToRaw = Median([.. pairs.Select(p => p.Writes.Writes / Math.Max((p.Writes.Last - p.Writes.First).TotalSeconds, 1e-3) / p.RawRate)]);
        var afterLastCreate = Median([.. pairs.Select(p => (p.Apply.Started.AddSeconds(p.Apply.Seconds) - p.Writes.Last).TotalSeconds)]);

        // What earlier rounds compared with: minimal agents (four fields, no references), at most RawCreates of them.
        double minimalCreateRate;
        await using (var minimal = await PlatformProcess.StartAsync(cli, Path.Combine(folder, "minimal.db")))
            minimalCreateRate = await MinimalCreatesAsync(minimal.Http, Math.Min(agents, RawCreates));

        var url = applied.BaseUrl.ToString();
        string[] connect = ["--platform-url", url, "--requests-per-second", "0"];
        var validateRuns = await RepeatAsync(repeat, () => RunCliAsync(cli, ["validate", "-f", manifests], folder));
        var validate = Median(validateRuns);
        var unchangedRuns = await RepeatAsync(repeat, () => RunCliAsync(cli, ["plan", "-f", manifests, "--detailed-exitcode", .. connect], folder));
        var unchanged = Median(unchangedRuns);
        if (baseline is not null)
        {
            var (ours, theirs) = await InterleavedAsync(repeat, cli, baseline, ["validate", "-f", manifests], folder);
            Console.WriteLine(Compare($"{agents:N0} agents, validate", ours, theirs));
            (ours, theirs) = await InterleavedAsync(repeat, cli, baseline, ["plan", "-f", manifests, "--detailed-exitcode", .. connect], folder);
            Console.WriteLine(Compare($"{agents:N0} agents, unchanged plan", ours, theirs));
        }

        var counted = await RunCliAsync(cli, ["plan", "-f", manifests, "-v", .. connect], folder);
        var requests = RequestLine().Count(counted.Error);
        var rawList = Median(await RepeatAsync(repeat, () => RawListAllAsync(applied.Http)));
        var script = agents <= ScriptedAgents ? await OneGetPerAgentAsync(url, repeat, folder) : null;

        var ok = validate.ExitCode == 0 && pairs.All(p => p.Apply.ExitCode == 0) && unchanged.ExitCode == 0;
        if (!ok)
        {
            var failedApply = pairs.Select(p => p.Apply).FirstOrDefault(a => a.ExitCode != 0) ?? apply;
            Console.WriteLine($"  FAILED: validate {validate.ExitCode}, apply {failedApply.ExitCode}: {Tail(failedApply.Error)}, unchanged plan {unchanged.ExitCode}: {Tail(unchanged.Error)}{Tail(unchanged.Output)}");
        }

        var row = new Row(agents, validate, MedianCpu(validateRuns), apply, unchanged, MedianCpu(unchangedRuns), requests, rawList, rawCreateRate, applyToRaw, beforeFirstCreate, createPhaseToRaw, minimalCreateRate, resources / apply.Seconds, script, ok);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{agents:N0} agents: validate {validate.Seconds:F2} s (CPU {row.ValidateCpu:F2} s), apply {apply.Seconds:F1} s (CPU {apply.CpuSeconds:F1} s) ({row.ApplyRate:F0}/s vs raw {rawCreateRate:F0}/s: {applyToRaw:P0} (pairs: {string.Join(", ", pairs.Select(p => $"{resources / p.Apply.Seconds:F0}/{p.RawRate:F0}"))}); first create committed {beforeFirstCreate * 1000:F0} ms after start, create phase {createPhaseToRaw:P0} of raw, exit {afterLastCreate * 1000:F0} ms after the last; minimal {minimalCreateRate:F0}/s), unchanged {unchanged.Seconds:F2} s (CPU {row.UnchangedCpu:F2} s, {requests} requests; raw {rawList:F2} s), RSS {validate.PeakRssMiB:F0}/{apply.PeakRssMiB:F0}/{unchanged.PeakRssMiB:F0} MiB"));
        return row;
    }

    /// <summary>Writes the organisation's manifests (the agents in files of <see cref="AgentsPerFile"/>, the rest in one file); returns its resources.</summary>
    private static List<Resource> WriteManifests(string folder, int agents)
    {
        Directory.CreateDirectory(folder);
        var all = OrganizationGenerator.Generate(agents, Roles, Units);
        var others = all.Where(r => r is not Agent).ToList();
        File.WriteAllText(Path.Combine(folder, "organization.yaml"), ManifestWriter.ToYaml(others));
        var agentList = all.OfType<Agent>().ToList();
        for (var start = 0; start < agentList.Count; start += AgentsPerFile)
        {
            var file = Path.Combine(folder, $"agents-{start / AgentsPerFile:D3}.yaml");
            File.WriteAllText(file, ManifestWriter.ToYaml(agentList.Skip(start).Take(AgentsPerFile)));
        }

        return [.. all];
    }

    /// <summary>
    /// Creates per second of the objects the CLI creates, by a bare client on a fresh platform: the same resources (office
    /// hours, roles, units, agents), the same wire bodies and labels (mapped by the product's own mappers), the same
    /// parallelism, each request with an idempotency key and a change reason as the platform asks of writers. A bare client
    /// needs the ids of what a body references, so it creates in waves: each wave is what the ones before it let it map
    /// (hours and roles, then units, then the leads, then the agents reporting to them). Only the requests are timed: the
    /// mapping and the reads of new ids between waves are not.
    /// </summary>
    private static async Task<double> RawCreatesOfTheSameObjectsAsync(string cli, PlatformProcess platform, string manifests, List<Resource> resources, string folder)
    {
        var elapsed = TimeSpan.Zero;
        var pending = resources;
        while (pending.Count > 0)
        {
            var references = await CreatedObjects.ReadAsync(platform.Http);
            var wave = new List<RawCreate>();
            var later = new List<Resource>();
            foreach (var resource in pending)
            {
                if (WireBody(resource, references) is { } create)
                    wave.Add(create);
                else
                    later.Add(resource);
            }

            if (wave.Count == 0)
                throw new InvalidOperationException($"raw creates: {later.Count} resources reference nothing that exists, e.g. {later[0].Id}");
            elapsed += await PostAllAsync(platform.Http, wave);
            pending = later;
        }

        // The proof that the bodies are the CLI's own: the CLI finds nothing to change on the platform they made.
        var check = await RunCliAsync(cli, ["plan", "-f", manifests, "--detailed-exitcode", "--platform-url", platform.BaseUrl.ToString(), "--requests-per-second", "0"], folder);
        if (check.ExitCode != 0)
            throw new InvalidOperationException($"the raw creates differ from the CLI's (plan exit {check.ExitCode}): {Tail(check.Output)}{Tail(check.Error)}");
        return resources.Count / elapsed.TotalSeconds;
    }

    /// <summary>The create the CLI sends for a resource, or null while something it references does not exist yet.</summary>
    private static RawCreate? WireBody(Resource resource, CreatedObjects references)
    {
        var mapper = KindMappers.For(resource);
        DesiredObject mapped;
        try
        {
            mapped = mapper.Map(resource, new MappingContext(references, SecretValues.None, IncludeSecretValues: true));
        }
        catch (ReferenceNotFoundException)
        {
            return null;
        }

        var body = (JsonObject)mapped.Fields.DeepClone();
        body["labels"] = new JsonObject([.. Planner.OwnedLabels(resource, mapped).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        return new RawCreate(mapper.Collection, $"raw create {resource.Id}", body.ToJsonString());
    }

    /// <summary>Creates per second of minimal agents (four fields, no references or labels): the platform's best case.</summary>
    private static async Task<double> MinimalCreatesAsync(HttpClient http, int count) =>
        count / (await PostAllAsync(http, [.. Enumerable.Range(0, count).Select(i => new RawCreate("agents", $"raw create {i}", new JsonObject { ["email"] = $"raw{i}@bench.example", ["displayName"] = $"Raw {i}", ["roleId"] = "rol_agent", ["languages"] = new JsonArray("en") }.ToJsonString()))])).TotalSeconds;

    /// <summary>Posts the creates, <see cref="Parallelism"/> at a time; returns how long it took.</summary>
    private static async Task<TimeSpan> PostAllAsync(HttpClient http, List<RawCreate> creates)
    {
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Parallelism).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < creates.Count)
            {
                var (collection, reason, json) = creates[i];
                using var request = new HttpRequestMessage(HttpMethod.Post, collection) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                request.Headers.Add("X-Change-Reason", reason);
                using var response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"raw create: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }));
        return watch.Elapsed;
    }

    private sealed record RawCreate(string Collection, string Reason, string Json);

    /// <summary>
    /// The issue's yardstick for small organisations: <c>one-get-per-agent.py</c> (Python's standard library, one GET per
    /// agent), median wall time; null where python3 is missing.
    /// </summary>
    private static async Task<double?> OneGetPerAgentAsync(string url, int repeat, string folder)
    {
        var python = new[] { "/usr/bin/python3", "/usr/local/bin/python3" }.FirstOrDefault(File.Exists);
        if (python is null)
            return null;
        var script = FindRepositoryFile("bench/Reconciler.Cli.ProcessBenchmark/one-get-per-agent.py");
        var runs = await RepeatAsync(repeat, () => RunCliAsync(python, [script, url], folder));
        if (runs.Find(r => r.ExitCode != 0) is { } failed)
            throw new InvalidOperationException($"one-get-per-agent.py: exit {failed.ExitCode}: {Tail(failed.Error)}");
        return Median(runs).Seconds;
    }

    /// <summary>The unchanged run's reads done by a bare HTTP client: every page of every collection and the organisation.</summary>
    private static async Task<double> RawListAllAsync(HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        foreach (var collection in Collections)
        {
            string? cursor = null;
            do
            {
                var path = $"{collection}?limit=1000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
                using var document = JsonDocument.Parse(await http.GetByteArrayAsync(path));
                cursor = document.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            while (cursor is not null);
        }

        await http.GetByteArrayAsync("organization");
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The same command by two builds, alternately, so both see the same load.</summary>
    private static async Task<(List<CliRun> Ours, List<CliRun> Theirs)> InterleavedAsync(int times, string cli, string baseline, string[] args, string folder)
    {
        var (ours, theirs) = (new List<CliRun>(), new List<CliRun>());
        for (var i = 0; i < times; i++)
        {
            theirs.Add(await RunCliAsync(baseline, args, folder));
            ours.Add(await RunCliAsync(cli, args, folder));
        }

        return (ours, theirs);
    }

    private static string Compare(string what, List<CliRun> ours, List<CliRun> theirs) => string.Create(CultureInfo.InvariantCulture,
        $"{what}, baseline -> this build (medians, interleaved): wall {Median(theirs).Seconds:F2} -> {Median(ours).Seconds:F2} s, CPU {MedianCpu(theirs):F2} -> {MedianCpu(ours):F2} s, peak RSS {Median([.. theirs.Select(r => r.PeakRssMiB)]):F0} -> {Median([.. ours.Select(r => r.PeakRssMiB)]):F0} MiB");

    private static async Task<List<T>> RepeatAsync<T>(int times, Func<Task<T>> run)
    {
        var results = new List<T>();
        for (var i = 0; i < times; i++)
            results.Add(await run());
        return results;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static CliRun Median(List<CliRun> runs) => runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);

    private static double MedianCpu(List<CliRun> runs) => Median([.. runs.Select(r => r.CpuSeconds)]);

    private static async Task<CliRun> RunCliAsync(string cli, string[] args, string workingDirectory)
    {
        var start = StartInfo(cli, args, workingDirectory);
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var peakKiB = 0L;
        var cpu = 0.0;

        // VmHWM is the kernel's high-water mark of the resident set and utime+stime only grow: sampled until exit, the last
        // values are the peak and (within one sampling interval) the CPU time, which the 2 shared cores cannot distort.
        // The wall time is taken when the exit is seen, not at the next sample: that would add up to an interval to it.
        var exited = process.WaitForExitAsync();
        while (!exited.IsCompleted)
        {
            peakKiB = Math.Max(peakKiB, ReadHighWaterMarkKiB(process.Id));
            if (CliProcess.CpuSeconds(process.Id) is var sample && !double.IsNaN(sample))
                cpu = Math.Max(cpu, sample);
            await Task.WhenAny(exited, Task.Delay(10));
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await exited;
        return new CliRun(process.ExitCode, seconds, cpu, peakKiB / 1024.0, await output, await error) { Started = started };
    }

    private static long ReadHighWaterMarkKiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
            // The process exited between the check and the read.
        }

        return 0;
    }

    internal static ProcessStartInfo StartInfo(string cli, IEnumerable<string> args, string workingDirectory)
    {
        var start = CliProcess.StartInfo(cli, args);
        start.WorkingDirectory = workingDirectory;
        start.Environment["RECONCILER_PLATFORM_TOKEN"] = Token;
        return start;
    }

    private static string DefaultCli()
    {
        var folder = FindRepositoryFile("src/Reconciler.Cli/bin/Release/net10.0");
        var apphost = Path.Combine(folder, "reconciler");
        return File.Exists(apphost) ? apphost : Path.Combine(folder, "reconciler.dll");
    }

    private static string FindRepositoryFile(string relative)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, relative);
                if (Path.Exists(candidate))
                    return candidate;
            }
        }

        throw new InvalidOperationException($"{relative} not found above the current directory or {AppContext.BaseDirectory}; run from the repository (and build src/Reconciler.Cli -c Release first).");
    }

    private static string Tail(string text) => text.Length <= 400 ? text : text[^400..];

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

    [GeneratedRegex(@" -> \d+ in \d+ ms")]
    private static partial Regex RequestLine();

    private sealed record CliRun(int ExitCode, double Seconds, double CpuSeconds, double PeakRssMiB, string Output, string Error)
    {
        /// <summary>The wall-clock time it was started, to compare with the platform's audit trail.</summary>
        public DateTimeOffset Started { get; init; }
    }

    private sealed record Row(int Agents, CliRun Validate, double ValidateCpu, CliRun Apply, CliRun Unchanged, double UnchangedCpu, int UnchangedRequests, double RawListSeconds, double RawCreateRate, double ApplyToRaw, double BeforeFirstCreate, double CreatePhaseToRaw, double MinimalCreateRate, double ApplyRate, double? ScriptSeconds, bool Ok);

    /// <summary><c>reconciler platform serve</c> on a free loopback port, stopped with SIGTERM like Ctrl+C.</summary>
    private sealed partial class PlatformProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private PlatformProcess(Process process, Uri baseUrl)
        {
            _process = process;
            BaseUrl = baseUrl;
            Http = new HttpClient { BaseAddress = new Uri(baseUrl, "api/v1/") };
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        public Uri BaseUrl { get; }

        public HttpClient Http { get; }

        public static async Task<PlatformProcess> StartAsync(string cli, string database)
        {
            var process = Process.Start(StartInfo(cli, ["platform", "serve", "--urls", "http://127.0.0.1:0", "--database", database], Path.GetDirectoryName(database)!))!;
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (Listening().Match(line) is { Success: true } match)
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new PlatformProcess(process, new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
                }
            }

            throw new InvalidOperationException("platform serve exited before listening");
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!_process.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }

            _process.Dispose();
        }

        [GeneratedRegex(@"^Listening on (\S+) ")]
        private static partial Regex Listening();
    }
}
