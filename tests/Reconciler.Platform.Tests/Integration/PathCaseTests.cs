using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>Routing matches paths ignoring case, so the guard in front of the API must too.</summary>
public sealed class PathCaseTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Theory]
    [InlineData("GET", "/API/V1/roles")]
    [InlineData("GET", "/Api/v1/audit-events")]
    [InlineData("HEAD", "/api/V1/organization")]
    [InlineData("POST", "/API/v1/business-units")]
    [InlineData("DELETE", "/API/v1/roles/rol_agent")]
    public async Task The_base_path_in_another_case_still_needs_a_token(string method, string path)
    {
        var platform = await servers.Get(Backend.Sqlite);
        using var anonymous = platform.NewClient(null);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(platform.Running.BaseUrl, path));
        if (method == "POST")
        {
            request.Content = Http.Json(new BusinessUnitDto { Name = Http.Unique("bu"), DisplayName = "B" });
        }

        using var response = await anonymous.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the audit trail and every object were readable without a token, and a write was a 500");
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
    }
}
