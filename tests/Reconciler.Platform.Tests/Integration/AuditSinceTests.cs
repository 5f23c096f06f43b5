using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary><c>since</c> takes a sequence or an RFC 3339 time; anything else is a 400, not a guess at what was meant.</summary>
public sealed class AuditSinceTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Theory]
    [InlineData("2026-12-04T10:00:00Z")]
    [InlineData("2026-12-04T10:00:00.1234567Z")]
    [InlineData("2026-12-04t10:00:00z")]
    [InlineData("2026-12-04T11:00:00+01:00")]
    [InlineData("2026-12-04T10:00:00.5-03:30")]
    [InlineData("42")]
    public async Task Since_takes_a_sequence_or_an_rfc_3339_time(string since)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;

        using var response = await client.GetAsync($"audit-events?limit=1&since={Uri.EscapeDataString(since)}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("12/04/2026", "a culture's date, read as MM/dd (was 200)")]
    [InlineData("2026-12-04", "a date without a time (was 200, as midnight UTC)")]
    [InlineData("2026-12-04T10:00:00", "a time without an offset (was 200, assumed UTC)")]
    [InlineData("Fri, 04 Dec 2026 10:00:00 GMT", "an HTTP date (was 200)")]
    [InlineData("-1", "a negative sequence")]
    [InlineData("yesterday", "not a time")]
    public async Task Since_that_is_neither_is_400(string since, string why)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;

        using var response = await client.GetAsync($"audit-events?limit=1&since={Uri.EscapeDataString(since)}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, why);
        (await response.Read<ProblemDto>()).Detail.Should().Contain("RFC 3339");
    }
}
