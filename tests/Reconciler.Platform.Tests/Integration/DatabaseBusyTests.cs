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

    [Theory, Postgres]
    public async Task A_write_the_database_aborts_as_deadlocked_on_every_try_is_503_with_retry_after_after_five_tries(Backend backend)
    {
        var database = await TestDatabases.CreateAsync(backend);
        await using var platform = await TestPlatform.StartAsync(backend, database: database);

        // A real PostgreSQL error 40P01 from the server on every audit insert: each try of the write is aborted as a
        // deadlock victim would be, which a real deadlock five times over cannot be made to do on demand.
        await using var admin = new NpgsqlConnection(database.ConnectionString);
        await admin.OpenAsync();
        await Execute(admin, """
            CREATE SEQUENCE deadlock_tries;
            CREATE FUNCTION always_deadlock() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM nextval('deadlock_tries');
                RAISE EXCEPTION 'deadlock detected (injected)' USING ERRCODE = 'deadlock_detected';
            END $$;
            CREATE TRIGGER always_deadlock BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION always_deadlock();
            """);
        var role = new RoleDto { Name = Http.Unique("victim"), DisplayName = "Victim" };

        using var refused = await platform.Client.PostAsync("roles", role, idempotencyKey: Guid.NewGuid().ToString());

        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, await refused.Content.ReadAsStringAsync());
        refused.Headers.RetryAfter!.Delta.Should().BePositive();
        refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await refused.Read<ProblemDto>()).Type.Should().EndWith("/database-busy");
        await using (var tries = new NpgsqlCommand("SELECT last_value FROM deadlock_tries", admin))
        {
            ((long)(await tries.ExecuteScalarAsync())!).Should().Be(5, "the write is tried five times, then given up");
        }

        var roles = await (await platform.Client.GetAsync("roles?limit=1000")).Read<Page<RoleDto>>();
        roles.Items.Should().NotContain(r => r.Name == role.Name);
        await Execute(admin, "DROP TRIGGER always_deadlock ON audit_events");
        (await platform.Client.PostAsync("roles", role)).StatusCode.Should().Be(HttpStatusCode.Created, "the retry a 503 asks for succeeds");
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
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
