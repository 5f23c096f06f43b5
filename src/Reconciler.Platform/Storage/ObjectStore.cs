using System.Data.Common;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Storage;

/// <summary>Dapper queries over the portable schema; the same SQL runs on SQLite and PostgreSQL.</summary>
[DapperAot]
internal sealed class ObjectStore(Database database)
{
    /// <summary>Key of the advisory lock serialising audit appends (see <see cref="AppendAuditAsync"/>): "RC" and 1.</summary>
    private const int AuditLockClass = 0x5243;
    private const int AuditLockObject = 1;

    private const string ObjectColumns = "seq AS Seq, id AS Id, collection AS Collection, key AS Key, version AS Version, doc AS Doc";

    public Database Database => database;

    /// <summary>One object by id (the unique index on id).</summary>
    internal const string GetSql = $"SELECT {ObjectColumns} FROM objects WHERE collection = @collection AND id = @id";

    /// <summary>An object's id by its natural key (the unique index on collection and key).</summary>
    internal const string IdByKeySql = "SELECT id FROM objects WHERE collection = @collection AND key = @key";

    public async Task<ObjectRow?> GetAsync(string collection, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new SqlParameters().Add("collection", collection).Add("id", id).CreateCommand(connection, GetSql);
        var rows = await SqlParameters.ReadAllAsync(command, ReadObjectRow, cancellationToken);
        return rows.SingleOrDefault();
    }

    /// <summary>A row of <see cref="ObjectColumns"/>, in that order.</summary>
    private static ObjectRow ReadObjectRow(DbDataReader reader) => new()
    {
        Seq = reader.GetInt64(0),
        Id = reader.GetString(1),
        Collection = reader.GetString(2),
        Key = reader.GetString(3),
        Version = reader.GetInt64(4),
        Doc = reader.GetString(5),
    };

    /// <summary>
    /// A label requirement matching fewer objects than this drives the query from the label index; a broader one (every
    /// managed object carries <c>managed-by</c>) is cheaper to check per object while walking the collection in order.
    /// </summary>
    private const int SelectiveLabelMatches = 2048;

    /// <summary>One page in insertion order after <paramref name="afterSeq"/>, filtered by a label selector in SQL.</summary>
    public async Task<List<ObjectRow>> ListAsync(string collection, long afterSeq, LabelSelector selector, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var labels = LabelParameters(selector);

        // Without statistics on label values neither database can tell a per-object label from a shared one, and walking
        // the whole collection for a selector that names one object makes per-object lookups quadratic; so ask first.
        var driver = await MostSelectiveRequirementAsync(connection, selector, labels, cancellationToken);
        await using var command = labels.Add("collection", collection).Add("afterSeq", afterSeq).Add("take", take).CreateCommand(connection, ListSql(selector, driver));
        return await SqlParameters.ReadAllAsync(command, ReadObjectRow, cancellationToken);
    }

    /// <summary>
    /// The selector's requirements as <c>@k<i>i</i></c> (label name), <c>@v<i>i</i></c> (value, null for "has the label")
    /// and <c>@v<i>i</i>_<i>j</i></c> (the members of a set).
    /// </summary>
    internal static SqlParameters LabelParameters(LabelSelector selector)
    {
        var parameters = new SqlParameters();
        for (var i = 0; i < selector.Requirements.Count; i++)
        {
            var requirement = selector.Requirements[i];
            parameters.Add($"k{i}", requirement.Key).Add($"v{i}", requirement.Value);
            for (var j = 0; j < (requirement.Values?.Count ?? 0); j++)
            {
                parameters.Add($"v{i}_{j}", requirement.Values![j]);
            }
        }

        return parameters;
    }

    /// <summary>The page query, driven from the label index by requirement <paramref name="driver"/> or walking the collection in order.</summary>
    internal static string ListSql(LabelSelector selector, int? driver)
    {
        var sql = new StringBuilder("SELECT o.seq AS Seq, o.id AS Id, o.collection AS Collection, o.key AS Key, o.version AS Version, o.doc AS Doc ");
        sql.Append(driver is int d
            ? $"FROM object_labels d CROSS JOIN objects o WHERE o.id = d.object_id AND {LabelMatch("d", d, selector.Requirements[d])} AND "
            : "FROM objects o WHERE ");
        sql.Append("o.collection = @collection AND o.seq > @afterSeq");
        for (var i = 0; i < selector.Requirements.Count; i++)
        {
            if (i == driver)
            {
                continue;
            }

            var r = selector.Requirements[i];
            sql.Append(r.Negated ? " AND NOT " : " AND ")
                .Append($"EXISTS (SELECT 1 FROM object_labels l WHERE l.object_id = o.id AND {LabelMatch("l", i, r)})");
        }

        return sql.Append(" ORDER BY o.seq LIMIT @take").ToString();
    }

    private static string LabelMatch(string alias, int index, LabelRequirement requirement) => requirement switch
    {
        { Values: { } values } => $"{alias}.name = @k{index} AND {alias}.value IN ({string.Join(", ", values.Select((_, j) => $"@v{index}_{j}"))})",
        { Value: null } => $"{alias}.name = @k{index}",
        _ => $"{alias}.name = @k{index} AND {alias}.value = @v{index}",
    };

    /// <summary>The positive requirement with the fewest matches below <see cref="SelectiveLabelMatches"/>, counted on the label index.</summary>
    internal static async Task<int?> MostSelectiveRequirementAsync(DbConnection connection, LabelSelector selector, SqlParameters labels, CancellationToken cancellationToken)
    {
        int? best = null;
        long fewest = SelectiveLabelMatches;
        for (var i = 0; i < selector.Requirements.Count; i++)
        {
            var r = selector.Requirements[i];
            if (r.Negated)
            {
                continue;
            }

            await using var command = labels.CreateCommand(
                connection,
                $"SELECT COUNT(*) FROM (SELECT 1 FROM object_labels l WHERE {LabelMatch("l", i, r)} LIMIT {SelectiveLabelMatches}) m");
            var matches = await SqlParameters.ScalarAsync(command, cancellationToken);
            if (matches < fewest)
            {
                (best, fewest) = (i, matches);
            }
        }

        return best;
    }

    /// <summary>How many objects of a collection have the boolean <paramref name="field"/> (top level) true.</summary>
    public async Task<int> CountWhereTrueAsync(string collection, string field, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await CountWhereTrueAsync(connection, null, database, collection, field, cancellationToken);
    }

    public static Task<int> CountWhereTrueAsync(WriteTransaction tx, Database db, string collection, string field) =>
        CountWhereTrueAsync(tx.Connection, tx.Transaction, db, collection, field, CancellationToken.None);

    private static async Task<int> CountWhereTrueAsync(DbConnection connection, DbTransaction? transaction, Database db, string collection, string field, CancellationToken cancellationToken)
    {
        var parameters = new SqlParameters().Add("collection", collection);
        await using var command = db.IsPostgres
            ? parameters.Add("field", field).CreateCommand(connection, "SELECT COUNT(*) FROM objects WHERE collection = @collection AND (doc::jsonb ->> @field) = 'true'", transaction)
            : parameters.Add("path", "$." + field).CreateCommand(connection, "SELECT COUNT(*) FROM objects WHERE collection = @collection AND json_extract(doc, @path) = 1", transaction);
        return checked((int)await SqlParameters.ScalarAsync(command, cancellationToken));
    }

    public async Task<List<AuditRow>> AuditAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(
            "SELECT sequence AS Sequence, id AS Id, at AS At, actor AS Actor, action AS Action, collection AS Collection, object_id AS ObjectId, " +
            "key AS Key, changes AS Changes, reason AS Reason, request_id AS RequestId, trace_id AS TraceId FROM audit_events WHERE sequence > @AfterSequence");
        var parameters = new SqlParameters().Add("AfterSequence", query.AfterSequence);
        foreach (var (column, name, value) in new[]
        {
            ("at >=", "SinceTime", query.SinceTime),
            ("collection =", "Collection", query.Collection),
            ("object_id =", "ObjectId", query.ObjectId),
            ("actor =", "Actor", query.Actor),
        })
        {
            if (value is not null)
            {
                sql.Append($" AND {column} @{name}");
                parameters.Add(name, value);
            }
        }

        sql.Append(" ORDER BY sequence LIMIT @Take");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = parameters.Add("Take", query.Take).CreateCommand(connection, sql.ToString());
        return await SqlParameters.ReadAllAsync(command, ReadAuditRow, cancellationToken);
    }

    /// <summary>A row of the audit list's columns, in their order.</summary>
    private static AuditRow ReadAuditRow(DbDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        Id = reader.GetString(1),
        At = reader.GetString(2),
        Actor = reader.GetString(3),
        Action = reader.GetString(4),
        Collection = reader.GetString(5),
        ObjectId = reader.GetString(6),
        Key = reader.GetString(7),
        Changes = reader.GetString(8),
        Reason = reader.IsDBNull(9) ? null : reader.GetString(9),
        RequestId = reader.IsDBNull(10) ? null : reader.GetString(10),
        TraceId = reader.IsDBNull(11) ? null : reader.GetString(11),
    };

    public async Task<long> LatestAuditSequenceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new SqlParameters().CreateCommand(connection, "SELECT COALESCE(MAX(sequence), 0) FROM audit_events");
        return await SqlParameters.ScalarAsync(command, cancellationToken);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new SqlParameters().CreateCommand(connection, "SELECT COUNT(*) FROM schema_version");
        return await SqlParameters.ScalarAsync(command, cancellationToken) > 0;
    }

    // ---- inside a write transaction ----

    public static Task<ObjectRow?> LockAsync(WriteTransaction tx, Database db, string collection, string id) =>
        tx.Connection.QuerySingleOrDefaultAsync<ObjectRow>(
            $"SELECT {ObjectColumns} FROM objects WHERE collection = @collection AND id = @id{db.ForUpdate}", new { collection, id }, tx.Transaction);

    public static Task<string?> CollectionOfAsync(WriteTransaction tx, Database db, string id) =>
        tx.Connection.QuerySingleOrDefaultAsync<string?>(
            $"SELECT collection FROM objects WHERE id = @id{db.ForShare}", new { id }, tx.Transaction);

    public static Task<string?> IdByKeyAsync(DbConnection connection, DbTransaction? transaction, string collection, string key) =>
        connection.QuerySingleOrDefaultAsync<string?>(IdByKeySql, new { collection, key }, transaction);

    public static Task<string?> ReferenceTargetAsync(WriteTransaction tx, string fromId, string field) =>
        tx.Connection.QuerySingleOrDefaultAsync<string?>(
            "SELECT to_id FROM object_refs WHERE from_id = @fromId AND field = @field", new { fromId, field }, tx.Transaction);

    public static async Task<List<ReferrerRow>> ReferrersAsync(WriteTransaction tx, string id)
    {
        var rows = await tx.Connection.QueryAsync<ReferrerRow>(
            "SELECT r.field AS Field, o.collection AS Collection, o.key AS Key FROM object_refs r JOIN objects o ON o.id = r.from_id " +
            "WHERE r.to_id = @id AND r.from_id <> @id ORDER BY o.collection, o.key LIMIT 20",
            new { id },
            tx.Transaction);
        return rows.AsList();
    }

    public static async Task InsertAsync(WriteTransaction tx, WireObject stored, string collection, string doc, IEnumerable<(string Field, string TargetId)> refs, bool builtIn)
    {
        await tx.Connection.ExecuteAsync(
            "INSERT INTO objects (id, collection, key, version, built_in, labels, doc, created_at, updated_at) " +
            "VALUES (@Id, @Collection, @Key, @Version, @BuiltIn, @Labels, @Doc, @CreatedAt, @UpdatedAt)",
            new
            {
                stored.Id,
                Collection = collection,
                stored.Key,
                stored.Version,
                BuiltIn = builtIn ? 1 : 0,
                Labels = JsonSerializer.Serialize(stored.Labels ?? [], WireJson.TypeInfo<Dictionary<string, string>>()),
                Doc = doc,
                CreatedAt = Timestamps.Format(stored.CreatedAt!.Value),
                UpdatedAt = Timestamps.Format(stored.UpdatedAt!.Value),
            },
            tx.Transaction);
        await WriteIndexesAsync(tx, stored, refs);
    }

    /// <summary>Updates guarded by the expected version: zero rows means someone else won.</summary>
    public static async Task<bool> UpdateAsync(WriteTransaction tx, WireObject stored, long expectedVersion, string doc, IEnumerable<(string Field, string TargetId)> refs)
    {
        var rows = await tx.Connection.ExecuteAsync(
            "UPDATE objects SET key = @Key, version = @Version, labels = @Labels, doc = @Doc, updated_at = @UpdatedAt " +
            "WHERE id = @Id AND version = @ExpectedVersion",
            new
            {
                stored.Id,
                stored.Key,
                stored.Version,
                Labels = JsonSerializer.Serialize(stored.Labels ?? [], WireJson.TypeInfo<Dictionary<string, string>>()),
                Doc = doc,
                UpdatedAt = Timestamps.Format(stored.UpdatedAt!.Value),
                ExpectedVersion = expectedVersion,
            },
            tx.Transaction);
        if (rows != 1)
        {
            return false;
        }

        await tx.Connection.ExecuteAsync("DELETE FROM object_labels WHERE object_id = @Id; DELETE FROM object_refs WHERE from_id = @Id", new { stored.Id }, tx.Transaction);
        await WriteIndexesAsync(tx, stored, refs);
        return true;
    }

    public static async Task<bool> DeleteAsync(WriteTransaction tx, string id, long expectedVersion)
    {
        await tx.Connection.ExecuteAsync("DELETE FROM object_labels WHERE object_id = @id; DELETE FROM object_refs WHERE from_id = @id", new { id }, tx.Transaction);
        return await tx.Connection.ExecuteAsync("DELETE FROM objects WHERE id = @id AND version = @expectedVersion", new { id, expectedVersion }, tx.Transaction) == 1;
    }

    /// <summary>
    /// Appends an audit event; call it as the transaction's last write, right before the commit.
    /// On PostgreSQL the sequence comes from an identity column, handed out at insert time but visible
    /// only at commit: two concurrent writers could commit 8 before 7, and a client that already read
    /// 8 and polls <c>since=8</c> would never see 7. A transaction-scoped advisory lock taken here makes
    /// "take a sequence, insert, commit" one critical section per database, so commit order equals
    /// sequence order. Held only from the audit insert to the commit, it costs little; it is the
    /// two-key form so it cannot collide with the one-key idempotency or migration locks.
    /// SQLite has a single writer already.
    /// </summary>
    public static async Task<long> AppendAuditAsync(WriteTransaction tx, AuditRow row)
    {
        if (tx.Connection is NpgsqlConnection)
        {
            await tx.Connection.ExecuteAsync($"SELECT pg_advisory_xact_lock({AuditLockClass}, {AuditLockObject})", transaction: tx.Transaction);
        }

        return await tx.Connection.ExecuteScalarAsync<long>(
            "INSERT INTO audit_events (id, at, actor, action, collection, object_id, key, changes, reason, request_id, trace_id) " +
            "VALUES (@Id, @At, @Actor, @Action, @Collection, @ObjectId, @Key, @Changes, @Reason, @RequestId, @TraceId) RETURNING sequence",
            row,
            tx.Transaction);
    }

    /// <summary>The first response under a key, unless it expired (created before <paramref name="expiredBefore"/>).</summary>
    public static Task<IdempotencyRow?> FindIdempotencyAsync(WriteTransaction tx, string principal, string key, DateTimeOffset expiredBefore) =>
        tx.Connection.QuerySingleOrDefaultAsync<IdempotencyRow>(
            "SELECT collection AS Collection, request_hash AS RequestHash, status AS Status, location AS Location, etag AS Etag, body AS Body " +
            "FROM idempotency_keys WHERE principal = @principal AND idem_key = @key AND created_at >= @cutoff",
            new { principal, key, cutoff = Timestamps.Format(expiredBefore) },
            tx.Transaction);

    /// <summary>Stores a first response; expired records go first (the index on created_at keeps that cheap), so the table holds one lifetime of keys.</summary>
    public static async Task SaveIdempotencyAsync(WriteTransaction tx, string principal, string key, IdempotencyRow row, DateTimeOffset now, DateTimeOffset expiredBefore)
    {
        await tx.Connection.ExecuteAsync(
            "DELETE FROM idempotency_keys WHERE created_at < @cutoff",
            new { cutoff = Timestamps.Format(expiredBefore) },
            tx.Transaction);
        await tx.Connection.ExecuteAsync(
            "INSERT INTO idempotency_keys (principal, idem_key, collection, request_hash, status, location, etag, body, created_at) " +
            "VALUES (@principal, @key, @Collection, @RequestHash, @Status, @Location, @Etag, @Body, @createdAt)",
            new { principal, key, row.Collection, row.RequestHash, row.Status, row.Location, row.Etag, row.Body, createdAt = Timestamps.Format(now) },
            tx.Transaction);
    }

    /// <summary>PostgreSQL: serialises concurrent creates carrying the same Idempotency-Key (SQLite has one writer anyway).</summary>
    public static Task LockIdempotencyKeyAsync(WriteTransaction tx, Database db, string principal, string key) =>
        db.IsPostgres
            ? tx.Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@k))", new { k = principal + "\n" + key }, tx.Transaction)
            : Task.CompletedTask;

    private static async Task WriteIndexesAsync(WriteTransaction tx, WireObject stored, IEnumerable<(string Field, string TargetId)> refs)
    {
        var id = stored.Id!; // set by the server before any write

        // Named rows, not anonymous ones: Dapper.AOT 1.1.0 casts a list of anonymous rows to List<object> and throws.
        var labels = (stored.Labels ?? []).Select(l => new LabelRow(id, l.Key, l.Value)).ToList();
        if (labels.Count > 0)
        {
            await tx.Connection.ExecuteAsync("INSERT INTO object_labels (object_id, name, value) VALUES (@ObjectId, @Name, @Value)", labels, tx.Transaction);
        }

        var refRows = refs.Select(r => new RefRow(id, r.Field, r.TargetId)).ToList();
        if (refRows.Count > 0)
        {
            await tx.Connection.ExecuteAsync("INSERT INTO object_refs (from_id, field, to_id) VALUES (@FromId, @Field, @ToId)", refRows, tx.Transaction);
        }
    }
}

/// <summary>Filters of the audit list.</summary>
internal sealed record AuditQuery
{
    public long AfterSequence { get; init; }

    public string? SinceTime { get; init; }

    public string? Collection { get; init; }

    public string? ObjectId { get; init; }

    public string? Actor { get; init; }

    public int Take { get; init; }
}
