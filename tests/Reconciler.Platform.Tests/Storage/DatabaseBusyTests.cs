using Microsoft.Data.Sqlite;
using Reconciler.Platform.Storage;

namespace Reconciler.Platform.Tests.Storage;

public sealed class DatabaseBusyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-database-busy-").FullName;

    [Fact]
    public async Task A_SQLite_write_refused_because_another_connection_holds_the_lock_is_busy_and_other_failures_are_not()
    {
        var path = Path.Combine(_directory, "busy.db");
        await using var holder = new SqliteConnection($"Data Source={path};Pooling=False");
        await holder.OpenAsync();
        await using var held = holder.BeginTransaction(deferred: false);
        await using (var create = holder.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (x)";
            await create.ExecuteNonQueryAsync();
        }

        await using var writer = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=1");
        await writer.OpenAsync();
        var write = () => writer.BeginTransaction(deferred: false);

        var busy = write.Should().Throw<SqliteException>().Which;
        DatabaseBusy.Is(busy).Should().BeTrue(busy.Message);
        DatabaseBusy.Is(new SqliteException("SQLite Error 19: 'constraint failed'.", 19)).Should().BeFalse();
        DatabaseBusy.Is(new InvalidOperationException("a bug")).Should().BeFalse();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
