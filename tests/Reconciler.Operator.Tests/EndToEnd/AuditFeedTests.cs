using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using Reconciler.Core.Resources;
using Xunit.Abstractions;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>The platform's audit trail as a change feed: hand edits are corrected or reported in seconds, not at the resync.</summary>
[Collection(ScrapingCollection.Name)]
public sealed class AuditFeedTests(ITestOutputHelper output)
{
    private static async Task<OperatorFixture> StartAsync(DriftPolicy policy, string poll = "2s")
    {
        var fixture = await OperatorFixture.StartAsync();
        await fixture.ConnectAsync(new JsonObject
        {
            ["driftPolicy"] = policy.ToString(),
            ["resyncInterval"] = "1h",
            ["auditPollInterval"] = poll,
        });
        return fixture;
    }

    private static JsonObject TagGroup(string displayName) => new()
    {
        ["displayName"] = displayName,
        ["appliesTo"] = "Chats",
        ["tags"] = new JsonArray(new JsonObject { ["name"] = "vip", ["color"] = "#ff0000" }),
    };

    private static async Task<string> SyncedTagGroupAsync(OperatorFixture fixture, string name, string displayName)
    {
        await fixture.CreateAsync("TagGroup", name, TagGroup(displayName));
        await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("TagGroup", name)), $"TagGroup/{name} synced");
        return (await fixture.GetAsync("TagGroup", name)).Status!["id"]!.GetValue<string>();
    }

    private static async Task RenameByHandAsync(OperatorFixture fixture, string id, string displayName)
    {
        var current = (await fixture.Human.GetAsync("tag-groups", id, CancellationToken.None)).Value!;
        var body = (JsonObject)current.Fields.DeepClone();
        body["displayName"] = displayName;
        body["labels"] = new JsonObject([.. current.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        (await fixture.Human.ReplaceAsync("tag-groups", id, current.Version, body, new("by hand"), CancellationToken.None)).IsOk.Should().BeTrue();
    }

    private static async Task<string> DisplayNameAsync(OperatorFixture fixture, string id) =>
        (await fixture.Human.GetAsync("tag-groups", id, CancellationToken.None)).Value!.Fields["displayName"]!.GetValue<string>();

    private static async Task<IReadOnlyList<(string Reason, string Note)>> EventsAsync(OperatorFixture fixture, string name)
    {
        var list = await fixture.Client.Api.EventsV1.ListNamespacedEventAsync(OperatorFixture.Namespace);
        return [.. list.Items.Where(e => e.Regarding?.Name == name).Select(e => (e.Reason, e.Note))];
    }

    [Fact]
    public async Task HandEdit_IsCorrectedWithinSeconds_ByTheAuditFeed_AndTheEventNamesTheAuthor()
    {
        await using var fixture = await StartAsync(DriftPolicy.Correct);
        fixture.StartOperator();
        var id = await SyncedTagGroupAsync(fixture, "priority", "Priority");

        var edited = Stopwatch.StartNew();
        await RenameByHandAsync(fixture, id, "Changed by hand");
        await OperatorFixture.EventuallyAsync(async () => await DisplayNameAsync(fixture, id) == "Priority", "drift corrected long before the 1h resync", TimeSpan.FromSeconds(10));
        output.WriteLine($"hand edit corrected after {edited.ElapsedMilliseconds} ms");

        await OperatorFixture.EventuallyAsync(async () => (await EventsAsync(fixture, "priority")).Any(e => e.Reason == "DriftCorrected"), "a DriftCorrected event");
        (await EventsAsync(fixture, "priority")).Single(e => e.Reason == "DriftCorrected").Note.Should().Contain("displayName").And.Contain("changed by alice");
    }

    [Fact]
    public async Task HandEdit_UnderReportPolicy_IsReportedWithinSeconds_NamingTheAuthor()
    {
        await using var fixture = await StartAsync(DriftPolicy.Report);
        var host = fixture.StartOperator();
        var id = await SyncedTagGroupAsync(fixture, "priority", "Priority");

        await RenameByHandAsync(fixture, id, "Changed by hand");
        await OperatorFixture.EventuallyAsync(
            async () => OperatorFixture.Condition(await fixture.GetAsync("TagGroup", "priority"), "Drifted", out var reason) == "True" && reason == "DriftDetected",
            "Drifted=True long before the 1h resync", TimeSpan.FromSeconds(10));
        var status = (await fixture.GetAsync("TagGroup", "priority")).Status!;
        status["driftedFields"]![0]!["changedBy"]!.GetValue<string>().Should().Be("alice");
        (await DisplayNameAsync(fixture, id)).Should().Be("Changed by hand");
        (await host.ScrapeMetricsAsync()).Should().MatchRegex("reconciler_resource_info\\{[^}]*drifted=\"True\"[^}]*name=\"priority\"");

        // Put back by hand: the drift is over, and so is its series.
        await RenameByHandAsync(fixture, id, "Priority");
        await OperatorFixture.EventuallyAsync(
            async () => OperatorFixture.Condition(await fixture.GetAsync("TagGroup", "priority"), "Drifted", out _) == "False", "Drifted=False", TimeSpan.FromSeconds(10));
        await OperatorFixture.EventuallyAsync(
            async () => System.Text.RegularExpressions.Regex.IsMatch(await host.ScrapeMetricsAsync(), "reconciler_resource_info\\{[^}]*drifted=\"False\"[^}]*name=\"priority\""),
            "the info series showing drifted=False");
    }

    [Fact]
    public async Task HandEditWhoseAuditEventIsLost_IsCorrectedByTheFullListThatTheSequenceGapTriggers()
    {
        await using var fixture = await StartAsync(DriftPolicy.Correct, poll: "8s");
        var host = fixture.StartOperator();
        var first = await SyncedTagGroupAsync(fixture, "first", "First");
        var second = await SyncedTagGroupAsync(fixture, "second", "Second");
        var connection = host.Runtime!.Connections.All.Single();
        var loadedAt = connection.Cache.LoadedAt;

        // The first edit's event disappears from the trail (as retention would drop it); the second one shows the gap.
        await RenameByHandAsync(fixture, first, "Lost edit");
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.DatabasePath}"))
        {
            await db.OpenAsync();
            await using var delete = db.CreateCommand();
            delete.CommandText = "DELETE FROM audit_events WHERE sequence = (SELECT MAX(sequence) FROM audit_events)";
            (await delete.ExecuteNonQueryAsync()).Should().Be(1);
        }

        await RenameByHandAsync(fixture, second, "Seen edit");
        await OperatorFixture.EventuallyAsync(async () => await DisplayNameAsync(fixture, second) == "Second", "the edit the feed shows, corrected", TimeSpan.FromSeconds(25));
        await OperatorFixture.EventuallyAsync(async () => await DisplayNameAsync(fixture, first) == "First", "the lost edit, corrected after the relist", TimeSpan.FromSeconds(25));
        connection.Cache.LoadedAt.Should().BeAfter(loadedAt!.Value, "the gap made the connection list the platform again, long before the 1h resync");
    }

    [Fact]
    public async Task ManyHandEdits_AreCorrectedUnderFiveSecondsAtP99_AtOneRequestPerPollWhenNothingChanges()
    {
        await using var fixture = await StartAsync(DriftPolicy.Correct);
        var host = fixture.StartOperator();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
            ids.Add(await SyncedTagGroupAsync(fixture, $"group-{i}", $"Group {i}"));

        // Idle: only the feed talks to the platform, one request per poll.
        var connection = host.Runtime!.Connections.All.Single();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var reads = connection.Counter.Reads;
        var idle = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var perMinute = (connection.Counter.Reads - reads) * 60 / idle.Elapsed.TotalSeconds;
        (connection.Counter.Reads - reads).Should().BeInRange(4, 6, "a 2s poll over 10s, and nothing else");
        connection.Counter.Writes.Should().Be(4);

        var samples = new List<double>();
        for (var edit = 0; edit < 24; edit++)
        {
            var i = edit % ids.Count;
            // Edits land at random points of the poll cycle.
            await Task.Delay(Random.Shared.Next(0, 2000));
            var watch = Stopwatch.StartNew();
            await RenameByHandAsync(fixture, ids[i], $"Hand edit {edit}");
            await OperatorFixture.EventuallyAsync(async () => await DisplayNameAsync(fixture, ids[i]) == $"Group {i}", $"edit {edit} corrected", TimeSpan.FromSeconds(15));
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        var median = samples[samples.Count / 2];
        var p99 = samples[(int)Math.Ceiling(samples.Count * 0.99) - 1];
        output.WriteLine($"hand edit -> correction over {samples.Count} edits (2s poll): median {median:0} ms, p99 {p99:0} ms; idle: {perMinute:0.0} platform requests per minute");
        p99.Should().BeLessThan(5000);
    }
}
