using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>A page of the audit trail says how far the trail goes, so a tailer can start at its head without reading history.</summary>
public sealed class AuditFeedHeadTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Theory, Sqlite, Postgres]
    public async Task Every_audit_page_reports_the_latest_sequence_even_when_since_is_beyond_it(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var created = await client.PostAsync("tag-groups", new TagGroupDto { Name = Http.Unique("head"), DisplayName = "T", Tags = [] });
        created.StatusCode.Should().Be(HttpStatusCode.Created);

        var history = await (await client.GetAsync("audit-events?limit=1000")).Read<AuditEventPage>();
        var newest = history.Items.Max(e => e.Sequence);
        history.LatestSequence.Should().BeGreaterThanOrEqualTo(newest);

        var head = await (await client.GetAsync($"audit-events?since={long.MaxValue}")).Read<AuditEventPage>();
        head.Items.Should().BeEmpty();
        head.LatestSequence.Should().Be(history.LatestSequence);

        var tail = await (await client.GetAsync($"audit-events?since={head.LatestSequence}")).Read<AuditEventPage>();
        tail.Items.Should().BeEmpty("nothing was written after the head");
    }

    [Theory, Sqlite, Postgres]
    public async Task AfterSequence_tails_the_trail_as_the_contract_names_it(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var head = (await (await client.GetAsync($"audit-events?since={long.MaxValue}")).Read<AuditEventPage>()).LatestSequence;
        var name = Http.Unique("after");
        (await client.PostAsync("tag-groups", new TagGroupDto { Name = name, DisplayName = "T", Tags = [] })).StatusCode.Should().Be(HttpStatusCode.Created);

        var tail = await (await client.GetAsync($"audit-events?afterSequence={head}&limit=1000")).Read<AuditEventPage>();

        tail.Items.Should().ContainSingle().Which.Key.Should().Be(name);
        (await (await client.GetAsync($"audit-events?afterSequence={tail.LatestSequence}")).Read<AuditEventPage>()).Items.Should().BeEmpty();
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("latest")]
    public async Task An_afterSequence_that_is_not_a_sequence_is_a_bad_request(string value)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;

        (await client.GetAsync($"audit-events?afterSequence={value}")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
