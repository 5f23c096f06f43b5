using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>The W3C <c>traceparent</c> of a write is kept in its audit event, so the line leads to the caller's trace.</summary>
public sealed class AuditTraceIdTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Theory, Sqlite, Postgres]
    public async Task A_writes_traceparent_trace_id_is_stored_in_its_audit_event_and_a_malformed_one_is_not(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var before = await (await client.GetAsync("audit-events?limit=1000")).Read<Page<AuditEventDto>>();
        var since = before.Items.Max(e => e.Sequence);

        using (var post = new HttpRequestMessage(HttpMethod.Post, "business-units") { Content = Http.Json(new BusinessUnitDto { Name = Http.Unique("bu"), DisplayName = "B", Routing = new RoutingDto() }) })
        {
            post.Headers.TryAddWithoutValidation("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            (await client.SendAsync(post)).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var created = (await (await client.GetAsync($"audit-events?since={since}")).Read<Page<AuditEventDto>>()).Items.Single();
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"business-units/{created.ObjectId}") { Content = Http.Json(new BusinessUnitDto { Name = created.Key, DisplayName = "C", Routing = new RoutingDto() }) })
        {
            put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            put.Headers.TryAddWithoutValidation("traceparent", "not-a-trace'; DROP TABLE audit_events; --");
            (await client.SendAsync(put)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var events = (await (await client.GetAsync($"audit-events?since={since}")).Read<Page<AuditEventDto>>()).Items;
        events.Select(e => e.TraceId).Should().Equal(["4bf92f3577b34da6a3ce929d0e0e4736", null]);
        (await client.GetStringAsync($"audit-events?since={since}")).Should().Contain("\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"");
    }
}
