using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Npgsql;
using Reconciler.Platform.Contract;
using Xunit.Sdk;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>The storage backend a test runs against.</summary>
public enum Backend
{
    Sqlite,
    Postgres,
}

/// <summary>Runs a theory on SQLite.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqliteAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Backend.Sqlite]];
}

/// <summary>Runs a theory on PostgreSQL when RECONCILER_TEST_POSTGRES is set; skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresAttribute : DataAttribute
{
    public PostgresAttribute()
    {
        if (string.IsNullOrEmpty(TestDatabases.PostgresConnectionString))
        {
            Skip = "PostgreSQL tests need RECONCILER_TEST_POSTGRES (an Npgsql connection string); eval \"$(bash .ci/postgres.sh)\" provides one.";
        }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Backend.Postgres]];
}

/// <summary>Creates a fresh database per server family: a temp SQLite file, or a fresh PostgreSQL schema.</summary>
public static class TestDatabases
{
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("RECONCILER_TEST_POSTGRES");

    public static async Task<DatabaseOptions> CreateAsync(Backend backend)
    {
        if (backend == Backend.Sqlite)
        {
            // The platform creates the file, not its folder.
            var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "reconciler-platform-tests")).FullName;
            var path = Path.Combine(folder, $"{Guid.NewGuid():N}.db");
            return new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = path };
        }

        var schema = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString) { SearchPath = schema };
        return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = builder.ConnectionString };
    }

    /// <summary>Runs SQL on a server's database behind its back, to make a state the API cannot (a record an older server wrote).</summary>
    public static async Task ExecuteAsync(DatabaseOptions database, string sql)
    {
        await using System.Data.Common.DbConnection connection = database.Provider == DatabaseProvider.Postgres
            ? new NpgsqlConnection(database.ConnectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.ConnectionString};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A started server plus an authenticated client.</summary>
public sealed class TestPlatform : IAsyncDisposable
{
    private TestPlatform(RunningPlatform running, PlatformServerOptions options)
    {
        Running = running;
        Options = options;
        Client = NewClient(running.AdminToken);
    }

    public RunningPlatform Running { get; }

    public PlatformServerOptions Options { get; }

    public HttpClient Client { get; }

    public static async Task<TestPlatform> StartAsync(Backend backend, Action<PlatformServerOptions>? configure = null, DatabaseOptions? database = null)
    {
        var options = new PlatformServerOptions { Database = database ?? await TestDatabases.CreateAsync(backend) };
        configure?.Invoke(options);
        return new TestPlatform(await PlatformServer.StartAsync(options), options);
    }

    public HttpClient NewClient(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(Running.BaseUrl, "api/v1/") };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Running.DisposeAsync();
    }
}

/// <summary>One server per backend per test class, started on first use.</summary>
public sealed class PlatformServers : IAsyncLifetime
{
    private readonly Dictionary<Backend, Task<TestPlatform>> _servers = [];
    private readonly Lock _gate = new();

    public Task<TestPlatform> Get(Backend backend)
    {
        lock (_gate)
        {
            if (!_servers.TryGetValue(backend, out var server))
            {
                server = TestPlatform.StartAsync(backend);
                _servers[backend] = server;
            }

            return server;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await (await server).DisposeAsync();
        }
    }
}

/// <summary>HTTP helpers for the tests.</summary>
public static class Http
{
    /// <summary>
    /// The wire's settings with reflection metadata: the tests' bodies are often anonymous objects and their pages of any
    /// DTO, which the wire's generated metadata (all the platform has) does not list.
    /// </summary>
    public static readonly JsonSerializerOptions AnyType = new(WireJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body, AnyType), Encoding.UTF8, "application/json");

    public static async Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, object body, string? idempotencyKey = null, string? reason = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(AdminApi.IdempotencyKeyHeader, idempotencyKey);
        }

        if (reason is not null)
        {
            request.Headers.Add(AdminApi.ChangeReasonHeader, reason);
        }

        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> PutAsync(this HttpClient client, string path, object body, long? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = Json(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{ifMatch}\"");
        }

        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string path, long? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{ifMatch}\"");
        }

        return await client.SendAsync(request);
    }

    public static async Task<T> Read<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(AnyType))!;

    public static async Task<T> CreateOk<T>(this HttpClient client, string collection, object body)
    {
        var response = await client.PostAsync(collection, body);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Read<T>();
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
