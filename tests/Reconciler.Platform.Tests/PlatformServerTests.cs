using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;

namespace Reconciler.Platform.Tests;

/// <summary>
/// The server listens before it touches its database, and answers 503 with Retry-After until the database is ready:
/// a start that cannot listen leaves no database behind, and a client that comes early is told to wait, not refused.
/// </summary>
public sealed class PlatformServerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-platform-server-").FullName;

    [Fact]
    public async Task Until_its_database_is_ready_the_server_answers_503_with_retry_after_and_then_serves()
    {
        var path = Path.Combine(_directory, "platform.db");
        var url = $"http://127.0.0.1:{FreePort()}";

        // Another connection holds the database's write lock, so the server's migration waits (SQLite's busy timeout).
        await using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        await holder.OpenAsync();
        await using (var exclusive = holder.CreateCommand())
        {
            exclusive.CommandText = "BEGIN EXCLUSIVE; CREATE TABLE held (x INTEGER);";
            await exclusive.ExecuteNonQueryAsync();
        }

        // On a thread of its own: SQLite waits for a lock by blocking the thread that asked.
        var starting = Task.Run(() => PlatformServer.StartAsync(new PlatformServerOptions { Urls = [url], Database = new DatabaseOptions { ConnectionString = path } }));
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var early = await WhenListeningAsync(http);

        early.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        early.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        (await early.Content.ReadAsStringAsync()).Should().Contain("starting");
        starting.IsCompleted.Should().BeFalse("the start returns once the database is ready");

        await using (var release = holder.CreateCommand())
        {
            release.CommandText = "COMMIT;";
            await release.ExecuteNonQueryAsync();
        }

        await using var platform = await starting.WaitAsync(TimeSpan.FromSeconds(60));
        (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_server_that_cannot_listen_creates_no_database()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var path = Path.Combine(_directory, "never.db");

        var start = () => PlatformServer.StartAsync(new PlatformServerOptions { Urls = [$"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}"], Database = new DatabaseOptions { ConnectionString = path } });

        await start.Should().ThrowAsync<IOException>();
        Directory.GetFileSystemEntries(_directory).Should().BeEmpty();
    }

    private static async Task<HttpResponseMessage> WhenListeningAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
