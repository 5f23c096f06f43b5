using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Reconciler.Platform;
using Reconciler.Platform.Contract;

// Load harness: starts the platform on loopback (SQLite temp file, or PostgreSQL when
// RECONCILER_TEST_POSTGRES is set), creates N agents with C concurrent clients (create rps),
// then lists them with limit=1000 for D seconds (list rps), then looks single agents up by a label of their own for
// D seconds (the per-object client's query: lookups/s).
// Usage: dotnet run -c Release --project bench/Reconciler.Platform.LoadTest -- [agents=1000] [concurrency=8] [seconds=10]
var agents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
var postgres = Environment.GetEnvironmentVariable("RECONCILER_TEST_POSTGRES");
var database = string.IsNullOrEmpty(postgres)
    ? new DatabaseOptions { ConnectionString = Path.Combine(Path.GetTempPath(), $"reconciler-load-{Guid.NewGuid():N}.db") }
    : new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = postgres };

await using var platform = await PlatformServer.StartAsync(new PlatformServerOptions
{
    Database = database,
    RateLimit = new RateLimitOptions { Enabled = false },
});
using var client = new HttpClient { BaseAddress = new Uri(platform.BaseUrl, "api/v1/") };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.AdminToken);
var run = Guid.NewGuid().ToString("N")[..8];

var next = -1;
var watch = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < agents)
    {
        var body = JsonSerializer.Serialize(new AgentDto
        {
            Email = $"agent{i}.{run}@acme.example",
            DisplayName = $"Agent {i}",
            RoleId = "rol_agent",
            Labels = new() { ["app.kubernetes.io/managed-by"] = "reconciler", ["employee-id"] = $"e{i}" },
        }, WireJson.Options);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "agents") { Content = content };
        request.Headers.Add(AdminApi.IdempotencyKeyHeader, $"{run}-{i}");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}));
var createRps = agents / watch.Elapsed.TotalSeconds;

long lists = 0;
var until = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    while (until.Elapsed.TotalSeconds < seconds)
    {
        using var response = await client.GetAsync("agents?limit=1000");
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        Interlocked.Increment(ref lists);
    }
}));
var listRps = lists / until.Elapsed.TotalSeconds;

long lookups = 0;
until.Restart();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
{
    var random = new Random(worker);
    while (until.Elapsed.TotalSeconds < seconds)
    {
        using var response = await client.GetAsync($"agents?labelSelector=app.kubernetes.io/managed-by=reconciler,employee-id=e{random.Next(agents)}");
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        Interlocked.Increment(ref lookups);
    }
}));
var lookupRps = lookups / until.Elapsed.TotalSeconds;
Console.WriteLine($"storage={database.Provider} agents={agents} concurrency={concurrency}");
Console.WriteLine($"create: {createRps:F0} requests/s");
Console.WriteLine($"list (limit=1000, {agents} agents): {listRps:F1} requests/s ({listRps * Math.Min(agents, 1000):F0} objects/s)");
Console.WriteLine($"lookup by a label of its own ({agents} agents): {lookupRps:F1} requests/s");
