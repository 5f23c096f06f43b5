using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;
using Reconciler.Platform.Diagnostics;

namespace Reconciler.Platform.Storage;

/// <summary>
/// Creates and upgrades the schema on start: ordered, numbered SQL scripts per dialect
/// (embedded from Storage/Migrations/{Sqlite,Postgres}/NNNN_name.sql), recorded in <c>schema_version</c>.
/// </summary>
[DapperAot]
internal sealed class Migrator(Database database, TimeProvider time, ILogger<Migrator> logger)
{
    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> For(DatabaseProvider provider)
    {
        var folder = provider == DatabaseProvider.Postgres ? "Postgres" : "Sqlite";
        var prefix = $"Migrations/{folder}/";
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^".sql".Length];
                var version = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
                return new Migration(version, file, Read(assembly, n));
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>
    /// Applies the migrations not yet applied. The first thing the server does with its database, so a database that
    /// cannot be used fails here, as a <see cref="PlatformDatabaseException"/> saying why, with nothing written.
    /// </summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        database.ThrowIfFileUnusable();
        try
        {
            return await ApplyAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw database.Unusable(e);
        }
    }

    private async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        // Closed before the migrations' own connections are opened: with a pool of one (Maximum Pool Size=1) holding it
        // left none for them, and the start failed with "The connection pool has been exhausted".
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            if (!database.IsPostgres)
            {
                // WAL lets readers proceed while the single writer commits; it persists in the file.
                await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
            }

            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        }

        var applied = 0;
        foreach (var migration in For(database.Provider))
        {
            await using var write = await database.BeginWriteAsync(cancellationToken);
            if (database.IsPostgres)
            {
                // Several servers may start against one database: migrate one at a time.
                await write.Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(7243001)", transaction: write.Transaction);
            }

            var done = await write.Connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM schema_version WHERE version = @Version", new { migration.Version }, write.Transaction);
            if (done > 0)
            {
                continue;
            }

            await write.Connection.ExecuteAsync(migration.Sql, transaction: write.Transaction);
            await write.Connection.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = Timestamps.Format(time.GetUtcNow()) },
                write.Transaction);
            await write.CommitAsync(cancellationToken);
            PlatformLog.MigrationApplied(logger, migration.Version, migration.Name);
            applied++;
        }

        return applied;
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>Timestamps are stored as fixed-width UTC ISO 8601 text, which sorts chronologically in both dialects.</summary>
internal static class Timestamps
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
