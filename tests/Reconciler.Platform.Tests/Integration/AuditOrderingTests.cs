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
        var client = (await servers.Get(backend)).Client;
        var start = (await (await client.GetAsync("audit-events?limit=1000")).Read<Page<AuditEventDto>>()).Items.Max(e => e.Sequence);
        var prefix = Http.Unique("ord");

        const int writers = 8;
        const int perWriter = 15;
        var writing = Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var response = await client.PostAsync("tag-groups", new TagGroupDto { Name = $"{prefix}-{w}-{i}", DisplayName = "T", Tags = [] });
                response.StatusCode.Should().Be(HttpStatusCode.Created);
            }
        })));

        var seen = new HashSet<long>();
        var last = start;
        async Task PollAsync()
        {
            var page = await (await client.GetAsync($"audit-events?since={last}&limit=1000")).Read<Page<AuditEventDto>>();
            foreach (var item in page.Items)
            {
                seen.Add(item.Sequence);
                last = Math.Max(last, item.Sequence);
            }
        }

        while (!writing.IsCompleted)
        {
            await PollAsync();
        }

        await writing;
        await PollAsync();

        var all = (await (await client.GetAsync($"audit-events?since={start}&limit=1000")).Read<Page<AuditEventDto>>()).Items
            .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Sequence).ToList();
        all.Should().HaveCount(writers * perWriter);
        all.Except(seen).Should().BeEmpty("a poller following since=<last sequence> must not skip events that commit late");
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
