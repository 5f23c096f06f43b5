using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Platform.Storage;
using Reconciler.Platform.Tests.Integration;

namespace Reconciler.Platform.Tests.Storage;

/// <summary>Label selectors answered from the label index when they name few objects, by walking the collection when they name many.</summary>
[DapperAot(false)] // the seeding runs on vanilla Dapper; Dapper.AOT's generator is the platform's, for its Native AOT build
public sealed class ObjectStoreLabelSelectorTests
{
    private const int Objects = 3000;

    [Theory, Sqlite, Postgres]
    public async Task A_selector_naming_one_object_among_thousands_is_driven_from_the_label_index(Backend backend)
    {
        await using var database = await SeededAsync(backend);
        var store = new ObjectStore(database);
        Parse("key=k2999,managed-by=reconciler", out var selector);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            (await ObjectStore.MostSelectiveRequirementAsync(connection, selector, ObjectStore.LabelParameters(selector), CancellationToken.None)).Should().Be(0);
        }

        var rows = await store.ListAsync("agents", 0, selector, 10, CancellationToken.None);

        rows.Select(r => r.Key).Should().Equal("a2999");
    }

    [Fact]
    public async Task The_index_driven_query_searches_the_label_index_instead_of_scanning_the_collection()
    {
        await using var database = await SeededAsync(Backend.Sqlite);
        Parse("key=k2999,tier!=gold", out var selector);
        await using var connection = await database.OpenAsync(CancellationToken.None);

        var plan = await PlanAsync(connection, database, ObjectStore.ListSql(selector, driver: 0), Parameters(selector));

        plan.Should().ContainMatch("SEARCH d USING *INDEX ix_object_labels_name_value*");
        plan.Should().NotContainMatch("*ix_objects_collection_seq*");
    }

    [Theory, Sqlite, Postgres]
    public async Task A_selector_every_object_matches_walks_the_collection_and_pages_in_insertion_order(Backend backend)
    {
        await using var database = await SeededAsync(backend);
        var store = new ObjectStore(database);
        Parse("managed-by=reconciler,tier!=gold", out var selector);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            (await ObjectStore.MostSelectiveRequirementAsync(connection, selector, ObjectStore.LabelParameters(selector), CancellationToken.None)).Should().BeNull();
        }

        var seen = new List<string>();
        long after = 0;
        List<ObjectRow> page;
        do
        {
            page = await store.ListAsync("agents", after, selector, 500, CancellationToken.None);
            seen.AddRange(page.Select(r => r.Key));
            after = page.Count > 0 ? page[^1].Seq : after;
        }
        while (page.Count == 500);

        seen.Should().Equal(Enumerable.Range(0, Objects).Where(i => i % 3 != 0).Select(i => $"a{i}"));
    }

    /// <summary>
    /// The lookups a per-object client makes, at 10,000 objects, through each store's own planner (EXPLAIN QUERY PLAN on
    /// SQLite, EXPLAIN on PostgreSQL): each searches an index for its one object. On SQLite the selector query of before
    /// (walking the collection, a label EXISTS per object) fails the first row.
    /// </summary>
    [Theory, Sqlite, Postgres]
    public async Task Per_object_lookups_search_an_index_rather_than_walk_ten_thousand_objects(Backend backend)
    {
        await using var database = await SeededAsync(backend, objects: 10_000);
        Parse("key=k9999,managed-by=reconciler", out var selector);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var driver = await ObjectStore.MostSelectiveRequirementAsync(connection, selector, ObjectStore.LabelParameters(selector), CancellationToken.None);
        var parameters = Parameters(selector).Add("key", "a9999").Add("id", "id9999");
        var (labelIndex, keyIndex, idIndex) = database.IsPostgres
            ? ("Index Scan using ix_object_labels_name_value on object_labels", "Index Scan using objects_collection_key_key on objects", "Index Scan using objects_id_key on objects")
            : ("SEARCH d USING INDEX ix_object_labels_name_value (name=? AND value=?)", "SEARCH objects USING INDEX sqlite_autoindex_objects_2 (collection=? AND key=?)", "SEARCH objects USING INDEX sqlite_autoindex_objects_1 (id=?)");

        foreach (var (what, sql, index) in new[]
        {
            ("the list by label selector", ObjectStore.ListSql(selector, driver), labelIndex),
            ("the lookup by natural key", ObjectStore.IdByKeySql, keyIndex),
            ("the get by id", ObjectStore.GetSql, idIndex),
        })
        {
            var plan = await PlanAsync(connection, database, sql, parameters);
            plan.Should().Contain(step => step.Contains(index, StringComparison.Ordinal), $"{what} searches its index:\n{string.Join('\n', plan)}");
            plan.Should().NotContain(step => step.Contains("Seq Scan", StringComparison.Ordinal) || step.StartsWith("SCAN ", StringComparison.Ordinal), $"{what} reads no table whole");
        }
    }

    /// <summary>The planner's steps: EXPLAIN's one column on PostgreSQL, the detail (fourth) column of EXPLAIN QUERY PLAN on SQLite.</summary>
    private static async Task<List<string>> PlanAsync(System.Data.Common.DbConnection connection, Database database, string sql, SqlParameters parameters)
    {
        await using var command = parameters.CreateCommand(connection, (database.IsPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql);
        return await SqlParameters.ReadAllAsync(command, step => step.GetString(database.IsPostgres ? 0 : 3), CancellationToken.None);
    }

    private static void Parse(string text, out LabelSelector selector) =>
        LabelSelector.TryParse(text, out selector, out _).Should().BeTrue();

    private static SqlParameters Parameters(LabelSelector selector) =>
        ObjectStore.LabelParameters(selector).Add("collection", "agents").Add("afterSeq", 0L).Add("take", 10);

    /// <summary>Agents that all carry <c>managed-by</c>, each its own <c>key</c>, every third one <c>tier=gold</c>.</summary>
    private static async Task<Database> SeededAsync(Backend backend, int objects = Objects)
    {
        var database = new Database(await TestDatabases.CreateAsync(backend));
        await new Migrator(database, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO objects (id, collection, key, version, built_in, labels, doc, created_at, updated_at) VALUES (@Id, 'agents', @Key, 1, 0, '{}', '{}', '', '')",
            Enumerable.Range(0, objects).Select(i => new { Id = $"id{i}", Key = $"a{i}" }),
            transaction);
        var labels = Enumerable.Range(0, objects).SelectMany(i => new[]
        {
            new { ObjectId = $"id{i}", Name = "managed-by", Value = "reconciler" },
            new { ObjectId = $"id{i}", Name = "key", Value = $"k{i}" },
        }.Concat(i % 3 == 0 ? [new { ObjectId = $"id{i}", Name = "tier", Value = "gold" }] : []));
        await connection.ExecuteAsync("INSERT INTO object_labels (object_id, name, value) VALUES (@ObjectId, @Name, @Value)", labels, transaction);
        await transaction.CommitAsync();
        return database;
    }
}
