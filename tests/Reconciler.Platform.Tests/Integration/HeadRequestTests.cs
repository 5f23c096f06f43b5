using System.Net;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>RFC 9110 9.1: every general-purpose server supports HEAD, answered as GET without the body.</summary>
public sealed class HeadRequestTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Theory]
    [InlineData("roles", HttpStatusCode.OK)]
    [InlineData("roles/rol_agent", HttpStatusCode.OK)]
    [InlineData("organization", HttpStatusCode.OK)]
    [InlineData("permissions", HttpStatusCode.OK)]
    [InlineData("audit-events?limit=1", HttpStatusCode.OK)]
    [InlineData("roles/rol_nope", HttpStatusCode.NotFound)]
    [InlineData("roles?limit=0", HttpStatusCode.BadRequest)]
    public async Task Head_answers_what_get_answers_without_a_body(string path, HttpStatusCode expected)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        using var get = await client.GetAsync(path);

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        get.StatusCode.Should().Be(expected);
        head.StatusCode.Should().Be(expected, "HEAD was a 405 on every route mapped for GET");
        head.Headers.ETag.Should().Be(get.Headers.ETag);
        head.Content.Headers.ContentType!.MediaType.Should().Be(get.Content.Headers.ContentType!.MediaType);
        (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Head_needs_a_token_like_get()
    {
        var platform = await servers.Get(Backend.Sqlite);
        using var anonymous = platform.NewClient(null);

        using var head = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "roles"));

        head.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        head.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_405_allows_head_wherever_it_allows_get()
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;

        using var response = await client.DeleteAsync("roles");

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.Should().BeEquivalentTo("GET", "HEAD", "POST");
    }
}
