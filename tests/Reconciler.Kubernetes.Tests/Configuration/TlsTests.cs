using Reconciler.Kubernetes.Models;
using Reconciler.Kubernetes.Tests.Fakes;

namespace Reconciler.Kubernetes.Tests.Configuration;

public sealed class TlsTests
{
    private static readonly TestCertificate Authority = TestCertificates.CreateAuthority("fake-apiserver-ca");
    private static readonly TestCertificate ServerCertificate = TestCertificates.IssueServer(Authority, "kubernetes.default.svc");

    [Fact]
    public async Task Client_TrustingTheClusterCa_ConnectsOverHttps()
    {
        await using var server = await StartHttpsServerAsync();
        using var client = server.CreateClient();

        var list = await client.ListAsync<Secret>(ResourceType.Secrets, "default");

        server.BaseUrl.Scheme.Should().Be("https");
        list.Metadata.ResourceVersion.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Client_TrustingAnotherCa_RefusesTheServer()
    {
        await using var server = await StartHttpsServerAsync();
        var stranger = TestCertificates.CreateAuthority("someone-else");
        using var client = Create(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri, SslCaCerts = [stranger.Certificate] });

        var act = () => client.ListAsync<Secret>(ResourceType.Secrets, "default");

        await act.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task Client_WithInsecureSkipTlsVerify_ConnectsWithoutTrustingTheCa()
    {
        await using var server = await StartHttpsServerAsync();
        using var client = Create(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri, SkipTlsVerify = true });

        var list = await client.ListAsync<Secret>(ResourceType.Secrets, "default");

        list.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Client_WithTlsServerName_VerifiesTheCertificateAgainstThatNameInsteadOfTheUrlHost()
    {
        await using var server = await StartHttpsServerAsync(ServerCertificateFor("api.internal.example"));
        using var withName = Create(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri, SslCaCerts = [Authority.Certificate], TlsServerName = "api.internal.example" });
        using var withWrongName = Create(new k8s.KubernetesClientConfiguration { Host = server.BaseUrl.AbsoluteUri, SslCaCerts = [Authority.Certificate], TlsServerName = "other.example" });

        await withName.ListAsync<Secret>(ResourceType.Secrets, "default");
        var act = () => withWrongName.ListAsync<Secret>(ResourceType.Secrets, "default");

        await act.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task Client_WithAClientCertificate_AuthenticatesAsItsCommonName()
    {
        var clientAuthority = TestCertificates.CreateAuthority("client-ca");
        await using var server = await StartHttpsServerAsync(clientAuthority: clientAuthority);
        using var client = server.CreateClient(clientCertificate: TestCertificates.IssueClient(clientAuthority, "alice"));

        await client.ListAsync<Secret>(ResourceType.Secrets, "default");

        server.Requests.Should().ContainSingle().Which.User.Should().Be("alice");
    }

    private static KubernetesClient Create(k8s.KubernetesClientConfiguration configuration) =>
        KubernetesClient.Create(new Reconciler.Kubernetes.Configuration.KubernetesConnection(configuration, "default", "test"));

    private static TestCertificate ServerCertificateFor(string name) => TestCertificates.IssueServer(Authority, name);

    private static Task<FakeKubernetesApiServer> StartHttpsServerAsync(TestCertificate? serverCertificate = null, TestCertificate? clientAuthority = null) =>
        FakeKubernetesApiServer.StartAsync(new FakeKubernetesApiServerOptions
        {
            ServerCertificate = serverCertificate ?? ServerCertificate,
            CertificateAuthority = Authority,
            ClientCertificateAuthority = clientAuthority,
        });
}
