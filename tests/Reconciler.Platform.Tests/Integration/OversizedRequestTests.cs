using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>A request line or header section longer than the server reads is refused as every error is: a problem document.</summary>
public sealed class OversizedRequestTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Theory]
    [InlineData(9 * 1024)]
    [InlineData(100 * 1024)]
    [InlineData(200 * 1024)]
    public async Task A_url_longer_than_the_server_reads_is_414_problem(int length)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;

        using var response = await client.GetAsync($"roles?labelSelector={new string('a', length)}");

        response.StatusCode.Should().Be(HttpStatusCode.RequestUriTooLong);
        (response.Content.Headers.ContentType?.MediaType).Should().Be("application/problem+json", "Kestrel's own 414 had no body");
        (await response.Read<ProblemDto>()).Detail.Should().Be("A request's target (path and query) may hold at most 8,192 characters.");
    }

    [Theory]
    [InlineData(40 * 1024)]
    [InlineData(200 * 1024)]
    public async Task Headers_longer_than_the_server_reads_are_431_problem(int length)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        using var request = new HttpRequestMessage(HttpMethod.Get, "roles");
        request.Headers.Add("X-Padding", new string('a', length));

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestHeaderFieldsTooLarge);
        (response.Content.Headers.ContentType?.MediaType).Should().Be("application/problem+json", "Kestrel's own 431 had no body");
        (await response.Read<ProblemDto>()).Detail.Should().Be("A request's header fields may hold at most 32,768 characters together.");
    }

    [Fact]
    public async Task A_url_and_headers_within_the_limits_are_served()
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"roles?labelSelector=a%3D{new string('b', 63)}");
        request.Headers.Add("X-Padding", new string('a', 16 * 1024));

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
