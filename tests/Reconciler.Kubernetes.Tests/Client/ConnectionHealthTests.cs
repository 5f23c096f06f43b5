using Reconciler.Kubernetes.Configuration;
using Reconciler.Kubernetes.Tests.Fakes;
using Widget = Reconciler.Kubernetes.Models.KubernetesObject<Reconciler.Kubernetes.Tests.WidgetSpec, Reconciler.Kubernetes.Tests.WidgetStatus>;

namespace Reconciler.Kubernetes.Tests.Client;

/// <summary>client-go's HTTP/2 health check: a connection that stops answering is found out by a ping and closed.</summary>
public sealed class ConnectionHealthTests
{
    private static readonly TestCertificate Authority = TestCertificates.CreateAuthority("fake-apiserver-ca");
    private static readonly TestCertificate ServerCertificate = TestCertificates.IssueServer(Authority);

    [Fact]
    public void ByDefault_AConnectionIsPingedAfter30QuietSecondsAndDroppedWhenThePingIsNotAnsweredIn15_AsByClientGo()
    {
        var defaults = new KubernetesClientOptions();

        defaults.Http2ReadIdleTimeout.Should().Be(TimeSpan.FromSeconds(30));
        defaults.Http2PingTimeout.Should().Be(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task AWatchOnAConnectionThatWentSilent_FailsOnceThePingGoesUnanswered_InsteadOfHangingForMinutes()
    {
        // No bookmarks: a quiet watch receives nothing for minutes on a real API server too.
        await using var server = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesApiServerOptions
        {
            ServerCertificate = ServerCertificate,
            CertificateAuthority = Authority,
            BookmarkInterval = TimeSpan.FromHours(1),
        });
        server.RegisterCustomResource(TestResources.Widgets);
        await using var proxy = BlackHoleProxy.To(server.BaseUrl);
        var configuration = new k8s.KubernetesClientConfiguration { Host = $"https://127.0.0.1:{proxy.Port}/", SslCaCerts = [Authority.Certificate] };
        using var client = KubernetesClient.Create(
            new KubernetesConnection(configuration, "default", "test"),
            new KubernetesClientOptions { Http2ReadIdleTimeout = TimeSpan.FromSeconds(1), Http2PingTimeout = TimeSpan.FromSeconds(1) });
        var created = await client.CreateAsync(TestResources.Widgets, TestResources.Widget("w1"));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var watch = client.WatchAsync<Widget>(TestResources.Widgets, "default", new WatchOptions { ResourceVersion = created.Metadata.ResourceVersion }, giveUp.Token)
            .GetAsyncEnumerator(giveUp.Token);
        var next = watch.MoveNextAsync().AsTask();
        await TestResources.EventuallyAsync(() => server.OpenWatchCount == 1, "the watch is open");

        proxy.BlackHole();

        var failed = await Record.ExceptionAsync(() => next.WaitAsync(TimeSpan.FromSeconds(10)));
        failed.Should().NotBeNull().And.NotBeOfType<TimeoutException>("the unanswered ping ends the connection, and the watch with it, within seconds");
        await giveUp.CancelAsync();
        await watch.DisposeAsync();
    }
}
