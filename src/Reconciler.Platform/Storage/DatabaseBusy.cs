using Microsoft.Data.Sqlite;
using Npgsql;

namespace Reconciler.Platform.Storage;

/// <summary>
/// Failures that say the database could not serve the request now, not that the request or the server is wrong: the
/// server answers them 503 with Retry-After, so a client backs off and asks again instead of giving up on a 500.
/// </summary>
internal static class DatabaseBusy
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static bool Is(Exception failure) => failure switch
    {
        // Not a PostgresException (the server's answer) but Npgsql's own: every pooled connection was in use until the
        // connection string's Timeout ("The connection pool has been exhausted"), or the server was slow to answer.
        NpgsqlException { InnerException: TimeoutException } and not PostgresException => true,

        // Contention, not a fault of the request: a deadlock the writes' own retries (MutationService.RetryOnDeadlockAsync)
        // did not get past, or a serialization failure; PostgreSQL's manual asks the client to run the transaction again.
        PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } => true,

        // Another process (a backup, the sqlite3 shell, a second server) held the file's lock past busy_timeout.
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => true,
        _ => false,
    };
}
