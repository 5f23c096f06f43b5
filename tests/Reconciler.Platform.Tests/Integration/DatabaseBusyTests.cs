using System.Net;
using Npgsql;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>
/// A database that cannot serve a request now (its connections all in use, a lock held past the wait) is answered 503
/// with Retry-After and a problem, which clients retry after a pause, not a 500 they give up on.
/// </summary>
public sealed class DatabaseBusyTests
{
    [Theory, Postgres]
    public async Task A_request_that_waits_out_the_pool_timeout_for_a_connection_is_503_with_retry_after(Backend backend)
    {
        var database = await TestDatabases.CreateAsync(backend);
        var tiny = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 1, Timeout = 1 };
        await using var platform = await TestPlatform.StartAsync(backend, database: new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = tiny.ConnectionString });

        // The test's own connection locks the table, so a listing takes the server's one pooled connection and waits.
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await using var lockTable = await holder.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE objects IN ACCESS EXCLUSIVE MODE", holder, lockTable))
        {
            await command.ExecuteNonQueryAsync();
        }

        var holding = platform.Client.GetAsync("roles");
        await WaitForLockWaiterAsync(holder);

        using var refused = await platform.Client.GetAsync("roles");

        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await refused.Content.ReadAsStringAsync());
        refused.Headers.RetryAfter!.Delta.Should().BePositive();
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await refused.Read<ProblemDto>();
        problem.Status.Should().Be(503);
        problem.Type.Should().EndWith("/database-busy");

        await lockTable.RollbackAsync();
        using var served = await holding;
        served.StatusCode.Should().Be(HttpStatusCode.OK, "the request holding the connection is served once the lock is gone");
    }

    private static async Task WaitForLockWaiterAsync(NpgsqlConnection observer)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'objects'::regclass", observer);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }
        }

        throw new TimeoutException("the listing never waited for the table lock");
    }
}
