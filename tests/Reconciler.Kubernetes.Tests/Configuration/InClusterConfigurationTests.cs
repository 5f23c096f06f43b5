using Reconciler.Kubernetes.Configuration;
using Reconciler.Kubernetes.Tests.Fakes;

namespace Reconciler.Kubernetes.Tests.Configuration;

public sealed class InClusterConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("serviceaccount-tests").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task InCluster_ReadsServiceHostTokenCaAndNamespaceFromThePod()
    {
        var authority = TestCertificates.CreateAuthority("cluster-ca");
        await File.WriteAllTextAsync(Path.Combine(_directory, "token"), "pod-token");
        await File.WriteAllTextAsync(Path.Combine(_directory, "ca.crt"), authority.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(_directory, "namespace"), "reconciler-system\n");

        var connection = KubernetesConnection.InCluster(Sources("10.96.0.1", "443"));

        connection.Configuration.Host.Should().Be("https://10.96.0.1/");
        connection.Namespace.Should().Be("reconciler-system");
        connection.Configuration.SslCaCerts.Should().ContainSingle().Which.Subject.Should().Be("CN=cluster-ca");
        connection.Configuration.TokenProvider.Should().BeOfType<RotatingTokenFile>("the token is re-read as kubelet rotates it");
        (await connection.Configuration.TokenProvider!.GetAuthenticationHeaderAsync(default)).Parameter.Should().Be("pod-token");
    }

    [Fact]
    public async Task InCluster_WithAnIPv6ServiceHost_BracketsTheAddress()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "token"), "t");

        var connection = KubernetesConnection.InCluster(Sources("fd00:10:96::1", "443"));

        connection.Configuration.Host.Should().Be("https://[fd00:10:96::1]/");
        connection.Namespace.Should().Be("default", "a pod without a namespace file falls back to default");
    }

    public static TheoryData<string?, string?, bool, string> Broken => new()
    {
        { null, "443", true, "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set" },
        { "10.96.0.1", null, true, "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set" },
        { "10.96.0.1", "https", true, "KUBERNETES_SERVICE_PORT 'https' is not a TCP port" },
        { "10.96.0.1", "443", false, "automountServiceAccountToken" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task InCluster_WhenThePodLacksSomething_SaysWhat(string? host, string? port, bool tokenExists, string expected)
    {
        if (tokenExists)
        {
            await File.WriteAllTextAsync(Path.Combine(_directory, "token"), "t");
        }

        var act = () => KubernetesConnection.InCluster(Sources(host, port));

        act.Should().Throw<KubernetesConfigurationException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public async Task InCluster_AuthenticatesWithTheMountedTokenAgainstTheApiServer()
    {
        await using var server = await TestResources.StartServerAsync(new FakeKubernetesApiServerOptions { BearerToken = "pod-token" });
        using var client = await InClusterClientAsync(server, "pod-token\n");

        var list = await client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");

        list.Items.Should().BeEmpty();
        server.Requests.Should().ContainSingle().Which.User.Should().Be("token");
    }

    [Fact]
    public async Task InCluster_WhenTheTokenIsRotatedAndTheOldOneRefused_UsesTheNewTokenAtOnce()
    {
        await using var server = await TestResources.StartServerAsync(new FakeKubernetesApiServerOptions { BearerToken = "old-token" });
        using var client = await InClusterClientAsync(server, "old-token");
        await client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");

        // kubelet writes a new bound token; the API server no longer takes the old one (it expired, or its pod was replaced).
        await File.WriteAllTextAsync(Path.Combine(_directory, "token"), "new-token");
        server.BearerToken = "new-token";
        var list = await client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");

        list.Items.Should().BeEmpty("the refused request is sent again with the file's new token, not after the minute the token is cached for");
    }

    [Fact]
    public async Task InCluster_WhenTheFilesTokenIsRefused_Fails401()
    {
        await using var server = await TestResources.StartServerAsync(new FakeKubernetesApiServerOptions { BearerToken = "other-token" });
        using var client = await InClusterClientAsync(server, "pod-token");

        var act = () => client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");

        (await act.Should().ThrowAsync<KubernetesApiException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized, "the file holds the token just refused, so there is nothing to send instead");
    }

    /// <summary>A client of the in-cluster connection with <paramref name="token"/> in the mounted token file, pointed at <paramref name="server"/>.</summary>
    private async Task<KubernetesClient> InClusterClientAsync(FakeKubernetesApiServer server, string token)
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "token"), token);
        var connection = KubernetesConnection.InCluster(Sources("127.0.0.1", "443"));
        connection.Configuration.Host = server.BaseUrl.AbsoluteUri;
        return KubernetesClient.Create(connection);
    }

    private KubernetesConfigurationSources Sources(string? host, string? port) => new()
    {
        GetEnvironmentVariable = name => name switch
        {
            "KUBERNETES_SERVICE_HOST" => host,
            "KUBERNETES_SERVICE_PORT" => port,
            _ => null,
        },
        ServiceAccountDirectory = _directory,
    };
}
