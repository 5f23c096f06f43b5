using System.Diagnostics;
using Reconciler.Kubernetes.Configuration;

namespace Reconciler.Kubernetes.Tests.Client;

/// <summary>controller-runtime 0.15+ behaviour: no client-side limit unless a QPS is asked for.</summary>
public sealed class ClientRateLimitTests : FakeApiServerTest
{
    [Fact]
    public void ByDefault_TheClientSetsNoRateLimit_LeavingItToApiPriorityAndFairness()
    {
        var defaults = new KubernetesClientOptions();

        defaults.Qps.Should().Be(0);
        defaults.Burst.Should().Be(0);
    }

    [Fact]
    public async Task WithAQps_RequestsBeyondTheBurstWaitForTokens()
    {
        using var limited = KubernetesClient.Create(
            KubernetesConnection.FromKubeconfigYaml(Server.CreateKubeconfig()),
            new KubernetesClientOptions { Qps = 5, Burst = 2 });
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < 7; i++)
        {
            await limited.ListAsync<Models.Secret>(ResourceType.Secrets, "default");
        }

        // Two from the burst, then one every 200 ms: five waits.
        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(900));
        Server.CountRequests("list", "secrets").Should().Be(7);
    }
}
