using System.Net;
using Reconciler.Operator.Tests.EndToEnd;

namespace Reconciler.Operator.Tests.Hosting;

/// <summary>The metrics and health endpoints over real listeners on port 0, as the kubelet and Prometheus reach them.</summary>
public sealed class OperatorHostTests
{
    [Theory]
    [InlineData("metrics", "metrics", HttpStatusCode.OK)]
    [InlineData("metrics", "healthz", HttpStatusCode.NotFound)]
    [InlineData("metrics", "readyz", HttpStatusCode.NotFound)]
    [InlineData("health", "healthz", HttpStatusCode.OK)]
    [InlineData("health", "readyz", HttpStatusCode.OK)]
    [InlineData("health", "metrics", HttpStatusCode.NotFound)]
    public async Task Each_endpoint_is_served_on_its_own_listener_only(string listener, string path, HttpStatusCode expected)
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var host = fixture.StartOperator();
        await OperatorFixture.EventuallyAsync(() => Task.FromResult(host.Urls.Count == 2 && host.IsReady), "the operator serving and ready");
        var url = new Uri(listener == "metrics" ? host.Urls[0] : host.Urls[^1]);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(url, path));

        response.StatusCode.Should().Be(expected, $"{path} on the {listener} listener ({url})");
    }
}
