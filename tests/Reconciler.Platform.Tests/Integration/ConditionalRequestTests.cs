using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>If-Match as RFC 9110 (13.1.1) has it: <c>*</c> or a list of entity tags, compared strongly.</summary>
public sealed class ConditionalRequestTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Theory]
    [InlineData("\"1\"", HttpStatusCode.OK, "the current ETag")]
    [InlineData("*", HttpStatusCode.OK, "any current representation")]
    [InlineData("\"7\", \"1\"", HttpStatusCode.OK, "a list holding the current ETag")]
    [InlineData("\"7\",\"1\"", HttpStatusCode.OK, "a list without spaces")]
    [InlineData(", \"1\" ,", HttpStatusCode.OK, "empty list elements are allowed (RFC 9110 5.6.1)")]
    [InlineData("W/\"1\"", HttpStatusCode.PreconditionFailed, "a weak ETag never matches under strong comparison (was 200)")]
    [InlineData("\"7\", W/\"1\"", HttpStatusCode.PreconditionFailed, "only a weak ETag of the current version")]
    [InlineData("\"01\"", HttpStatusCode.PreconditionFailed, "strong comparison is of the opaque tags, character by character")]
    [InlineData("\"abc\"", HttpStatusCode.PreconditionFailed, "a valid ETag that is no version of the object (was 400)")]
    [InlineData("\"a,b\", \"1\"", HttpStatusCode.OK, "a comma inside an opaque tag does not split it")]
    [InlineData("1", HttpStatusCode.BadRequest, "an ETag is quoted")]
    [InlineData("\"1", HttpStatusCode.BadRequest, "an unterminated ETag")]
    [InlineData("\"1\" \"2\"", HttpStatusCode.BadRequest, "list members are separated by commas")]
    [InlineData("*, \"1\"", HttpStatusCode.BadRequest, "* stands alone")]
    public async Task If_match_takes_a_list_of_strong_etags_or_star(string ifMatch, HttpStatusCode expected, string why)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        var unit = await client.CreateOk<BusinessUnitDto>("business-units", new BusinessUnitDto { Name = Http.Unique("bu"), DisplayName = "B" });

        using var replace = new HttpRequestMessage(HttpMethod.Put, $"business-units/{unit.Id}") { Content = Http.Json(unit with { DisplayName = "Changed" }) };
        replace.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var replaced = await client.SendAsync(replace);
        replaced.StatusCode.Should().Be(expected, why);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"business-units/{unit.Id}");
        delete.Headers.TryAddWithoutValidation("If-Match", ifMatch.Replace("\"1\"", expected == HttpStatusCode.OK ? "\"2\"" : "\"1\"", StringComparison.Ordinal));
        using var deleted = await client.SendAsync(delete);
        deleted.StatusCode.Should().Be(expected == HttpStatusCode.OK ? HttpStatusCode.NoContent : expected, why);
        if (expected != HttpStatusCode.OK)
        {
            deleted.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
    }
}
