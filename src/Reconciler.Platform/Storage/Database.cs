using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Reconciler.Platform.Storage;

/// <summary>
/// The connection factory and the per-dialect bits: SQLite has one writer (a process-wide write
/// lock plus <c>BEGIN IMMEDIATE</c>), PostgreSQL uses row locks and unique constraints.
/// </summary>
[DapperAot]
internal sealed class Database : IAsyncDisposable
{
    private readonly SemaphoreSlim _sqliteWriteLock = new(1, 1);
    private readonly NpgsqlDataSource? _postgres;

    public Database(DatabaseOptions options)
    {
        Provider = options.Provider;
        if (Provider == DatabaseProvider.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(options.ConnectionString);
            ConnectionString = options.ConnectionString;
        }
        else
        {
            var raw = options.ConnectionString;
            var builder = raw.Contains('=', StringComparison.Ordinal)
                ? new SqliteConnectionStringBuilder(raw)
                : new SqliteConnectionStringBuilder { DataSource = raw };
            builder.Pooling = true;
            builder.DefaultTimeout = 30;
            if (builder.DataSource is { Length: > 0 } path && path != ":memory:")
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(path));
                if (directory is not null)
                {
                    Directory.CreateDirectory(directory);
                }
            }

            ConnectionString = builder.ToString();
        }
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    /// <summary>Row lock for read-modify-write on PostgreSQL; SQLite's writer lock already serialises.</summary>
    public string ForUpdate => IsPostgres ? " FOR UPDATE" : "";

    /// <summary>Share lock on referenced rows so a concurrent delete waits for the referencing write.</summary>
    public string ForShare => IsPostgres ? " FOR SHARE" : "";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;");
        return connection;
    }

    /// <summary>Opens a write transaction; on SQLite it holds the process-wide write lock until disposed.</summary>
    public async Task<WriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var locked = false;
        if (!IsPostgres)
        {
            await _sqliteWriteLock.WaitAsync(cancellationToken);
            locked = true;
        }

        try
        {
            var connection = await OpenAsync(cancellationToken);
            try
            {
                // Microsoft.Data.Sqlite begins IMMEDIATE unless deferred is asked for: the write lock is taken now.
                var transaction = connection is SqliteConnection sqlite
                    ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false)
                    : await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
                return new WriteTransaction(connection, transaction, locked ? _sqliteWriteLock : null);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
        catch
        {
            if (locked)
            {
                _sqliteWriteLock.Release();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        _sqliteWriteLock.Dispose();
    }
}

/// <summary>A connection with an open write transaction; rolls back unless committed.</summary>
internal sealed class WriteTransaction(DbConnection connection, DbTransaction transaction, SemaphoreSlim? writeLock) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;

    public DbTransaction Transaction { get; } = transaction;

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
        writeLock?.Release();
    }
}
