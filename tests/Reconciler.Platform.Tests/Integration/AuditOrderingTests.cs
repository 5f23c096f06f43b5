using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>
/// A client that tails the audit trail with <c>since=&lt;last sequence seen&gt;</c> must never skip an
/// event, even while many writers commit concurrently (on PostgreSQL an identity column alone would
/// let sequence 8 become visible before 7).
/// </summary>
public sealed class AuditOrderingTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Theory, Sqlite, Postgres]
    public async Task A_poller_following_since_sees_every_event_while_writers_run_concurrently(Backend backend)
    {
        var platform = await servers.Get(backend);
        var client = platform.Client;
        var start = (await (await client.GetAsync("audit-events?limit=1")).Read<AuditEventPage>()).LatestSequence;
        var prefix = Http.Unique("ord");

        // Creates, replaces and deletes: each holds its audit insert open for a different time before the commit.
        const int writers = 8;
        const int perWriter = 5;
        var writing = Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            using var writer = platform.NewClient(platform.Running.AdminToken);
            for (var i = 0; i < perWriter; i++)
            {
                var created = await writer.CreateOk<TagGroupDto>("tag-groups", new TagGroupDto { Name = $"{prefix}-{w}-{i}", DisplayName = "T", Tags = [] });
                var replaced = await writer.PutAsync($"tag-groups/{created.Id}", created with { DisplayName = "U" }, created.Version);
                replaced.StatusCode.Should().Be(HttpStatusCode.OK);
                (await writer.DeleteAsync($"tag-groups/{created.Id}", created.Version + 1)).StatusCode.Should().Be(HttpStatusCode.NoContent);
            }
        })));

        var seen = new List<long>();
        var last = start;
        async Task PollAsync()
        {
            var page = await (await client.GetAsync($"audit-events?since={last}&limit=1000")).Read<AuditEventPage>();
            foreach (var item in page.Items.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                seen.Add(item.Sequence);
            }

            last = page.Items.Count == 0 ? last : page.Items.Max(e => e.Sequence);
        }

        while (!writing.IsCompleted)
        {
            await PollAsync();
        }

        await writing;
        await PollAsync();

        var all = (await (await client.GetAsync($"audit-events?since={start}&limit=1000")).Read<AuditEventPage>()).Items
            .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Sequence).ToList();
        all.Should().HaveCount(3 * writers * perWriter);
        seen.Should().BeEquivalentTo(all, "a poller following since=<last sequence> sees every event once, even one that commits late");
    }

    [Theory, Sqlite, Postgres]
    public async Task Permissions_honour_limit_and_cursor_and_return_the_whole_catalog_without_limit(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var whole = await (await client.GetAsync("permissions")).Read<Page<PermissionDto>>();
        whole.NextCursor.Should().BeNull();

        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"permissions?limit=7{(cursor is null ? "" : "&cursor=" + cursor)}")).Read<Page<PermissionDto>>();
            page.Items.Count.Should().BeLessThanOrEqualTo(7);
            paged.AddRange(page.Items.Select(p => p.Name));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        paged.Should().Equal(whole.Items.Select(p => p.Name));
        (await client.GetAsync("permissions?limit=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("permissions?cursor=garbage")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
