using System.Data;
using System.Data.Common;
using System.Net.Sockets;
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
            NpgsqlConnectionStringBuilder builder;
            try
            {
                builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                _postgres = NpgsqlDataSource.Create(builder);
            }
            catch (ArgumentException e)
            {
                // Npgsql's message names the keyword or the setting, never a value: the password stays out of it.
                throw new PlatformDatabaseException("the PostgreSQL connection string", e.Message, e);
            }

            ConnectionString = options.ConnectionString;
            Name = $"postgres://{(string.IsNullOrEmpty(builder.Username) ? "" : builder.Username + "@")}{builder.Host}:{builder.Port}/{builder.Database}";
        }
        else
        {
            var raw = options.ConnectionString;
            SqliteConnectionStringBuilder builder;
            try
            {
                builder = raw.Contains('=', StringComparison.Ordinal)
                    ? new SqliteConnectionStringBuilder(raw)
                    : new SqliteConnectionStringBuilder { DataSource = raw };
            }
            catch (ArgumentException e)
            {
                throw new PlatformDatabaseException("the SQLite connection string", e.Message, e);
            }

            builder.Pooling = true;
            builder.DefaultTimeout = 30;
            if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
            {
                SqlitePath = path;
            }

            // Folders are not created for the file: SQLite's own rule, and a mistyped path then fails at once instead
            // of leaving a stray folder behind (ThrowIfFileUnusable says which folder is missing).
            ConnectionString = builder.ToString();
            Name = builder.DataSource;
        }
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>How a person names this database: the SQLite path as given, or a PostgreSQL URL without the password.</summary>
    public string Name { get; }

    /// <summary>The SQLite file, as given; null for PostgreSQL and in-memory databases.</summary>
    public string? SqlitePath { get; }

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

    /// <summary>
    /// Refuses a SQLite path whose folder does not exist or that is a folder itself, before SQLite is asked to open it:
    /// SQLite would say only "unable to open database file" for either.
    /// </summary>
    public void ThrowIfFileUnusable()
    {
        if (SqlitePath is not { } path)
        {
            return;
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new PlatformDatabaseException(Name, "it is a folder, not a file", null);
        }

        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
        {
            throw new PlatformDatabaseException(Name, $"the folder {folder} does not exist (it is not created for the database; create it, or name a file in a folder that exists)", null);
        }
    }

    /// <summary>What a failure to open or migrate the database says to a person: the provider's reason, not its exception.</summary>
    public PlatformDatabaseException Unusable(DbException failure) => new(Name, Describe(failure), failure);

    private static string Describe(DbException failure) => failure switch
    {
        SqliteException sqlite => $"{SqliteReason(sqlite)} (SQLite error {sqlite.SqliteErrorCode})",
        PostgresException postgres => $"{postgres.MessageText} (PostgreSQL error {postgres.SqlState})",

        // "Failed to connect to 127.0.0.1:9" says where, the socket's exception says why ("Connection refused").
        { InnerException: SocketException or TimeoutException or IOException } => $"{failure.Message.TrimEnd('.')}: {failure.InnerException.Message}",
        _ => failure.Message,
    };

    /// <summary>SQLite's own sentence: Microsoft.Data.Sqlite's message is "SQLite Error 26: 'file is not a database'.".</summary>
    private static string SqliteReason(SqliteException failure)
    {
        var message = failure.Message;
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = message.LastIndexOf('\'');
        return start >= 0 && end > start ? message[(start + 1)..end] : message;
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
