using System.Net;
using System.Text;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>Bodies the JSON parser refuses are the client's malformed syntax (RFC 9110 400), never a 500 and never a 422.</summary>
public sealed class MalformedBodyTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    /// <summary>Each case: the request's path, its body (UTF-8 unless it says otherwise), and why the case exists.</summary>
    public static TheoryData<string, byte[], string> MalformedBodies => new()
    {
        { "roles", Encoding.UTF8.GetBytes("""{"name":"""), "cut short" },
        { "roles", [], "empty" },
        { "roles", Encoding.UTF8.GetBytes("""{"name":"r1"} x"""), "trailing text" },
        { "roles", Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)), "nested deeper than the parser goes" },
        { "roles", Encoding.UTF8.GetBytes("""{"name":"r1","name":"r2","displayName":"R","permissions":[]}"""), "a property written twice (was a 500)" },
        { "sso-providers", Encoding.UTF8.GetBytes("""{"name":"g1","type":"Google","oidc":{"clientId":"a","clientSecret":"s","clientSecret":"t"}}"""), "a nested property written twice" },
        { "roles", Encoding.UTF8.GetBytes("""{"name":"r1","displayName":"\ud800","permissions":[]}"""), "an escaped lone surrogate (was a 500)" },
        { "roles", Encoding.UTF8.GetBytes("""{"name":"r1","displayName":"R","permissions":[],"labels":{"\udc00":"x"}}"""), "a lone surrogate in a property name (was a 500)" },
        { "roles", [.. """{"name":"r1","displayName":"""u8, (byte)'"', 0xff, 0xfe, (byte)'"', .. ""","permissions":[]}"""u8], "invalid UTF-8 (was stored as U+FFFD)" },
        { "organization/helpdesk-links", Encoding.UTF8.GetBytes("""{"provider":"Zendesk","connected":true,"account":"\ud800"}"""), "a report with a lone surrogate (was a 500)" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_body_that_is_not_json_is_400_problem_without_a_500(string path, byte[] body, string why)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        using var request = new HttpRequestMessage(path.Contains('/') ? HttpMethod.Put : HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, why);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", why);
        var problem = await response.Read<ProblemDto>();
        problem.Status.Should().Be(400, why);
        problem.Detail.Should().StartWith("The body is not valid JSON", why);
    }

    [Theory]
    [InlineData("{\"name\": x}", "The body is not valid JSON (line 1, byte 10).")]
    [InlineData("{\"name\":\"r1\",\"name\":\"r2\",\"displayName\":\"R\",\"permissions\":[]}", "The body is not valid JSON: a property is written twice (line 1, byte 14).")]
    [InlineData("{\n  \"name\": \"r1\",\n  \"displayName\": \"R\",\n  \"name\": \"r2\"\n}", "The body is not valid JSON: a property is written twice (line 4, byte 3).")]
    [InlineData("{\"name\":\"r1\",\"labels\":{\"a\":\"1\",\"b\":{\"a\":1},\"\\u0061\":\"2\"}}", "The body is not valid JSON: a property is written twice (line 1, byte 44).")]
    public async Task The_detail_of_a_body_that_is_not_json_gives_where_it_breaks(string body, string detail)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;

        using var response = await client.PostAsync("roles", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Read<ProblemDto>()).Detail.Should().Be(detail);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"role\"")]
    public async Task Well_formed_json_that_is_not_an_object_stays_a_422_on_the_body(string body)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;

        using var response = await client.PostAsync("roles", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Read<ProblemDto>()).Errors.Should().ContainKey("$");
    }

    [Fact]
    public async Task Unknown_members_and_server_maintained_fields_of_a_write_are_ignored()
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        var name = Http.Unique("bu");

        var unit = await client.CreateOk<Dictionary<string, object>>(
            "business-units",
            new { name, displayName = "B", id = "bu_mine", key = "other", version = 9, createdAt = "2000-01-01T00:00:00Z", surplus = new { deep = 1 } });

        unit["id"].ToString().Should().StartWith("bu_").And.NotBe("bu_mine");
        unit["key"].ToString().Should().Be(name);
        unit["version"].ToString().Should().Be("1");
        unit["createdAt"].ToString().Should().NotStartWith("2000");
        unit.Should().NotContainKey("surplus");
    }

    /// <summary>Framing HttpClient cannot send: Kestrel refuses it while the handler reads the body.</summary>
    [Theory]
    [InlineData("POST /api/v1/roles", "ZZ\r\n{}\r\n0\r\n\r\n", "a chunk size that is not hex")]
    [InlineData("PUT /api/v1/roles/rol_agent", "5\r\n{\"a\":1}\r\n0\r\n\r\n", "a chunk longer than its size")]
    [InlineData("PUT /api/v1/organization/licences", "ZZ\r\n{}\r\n0\r\n\r\n", "a report with a bad chunk")]
    public async Task A_body_with_broken_chunked_framing_is_400_problem_not_a_500(string requestLine, string chunked, string why)
    {
        var platform = await servers.Get(Backend.Sqlite);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(platform.Running.BaseUrl.Host, platform.Running.BaseUrl.Port);
        await using var stream = tcp.GetStream();
        var request = $"{requestLine} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {platform.Running.AdminToken}\r\n" +
            "Content-Type: application/json\r\nIf-Match: *\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();

        response.Should().StartWith("HTTP/1.1 400 ", why).And.Contain("application/problem+json", why).And.NotContain("Exception", why);
    }
}
