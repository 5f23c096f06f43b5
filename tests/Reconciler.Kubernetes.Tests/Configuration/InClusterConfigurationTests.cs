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

        var config = KubernetesClientConfiguration.InCluster(Sources("10.96.0.1", "443"));

        config.Server.Should().Be(new Uri("https://10.96.0.1:443"));
        config.Namespace.Should().Be("reconciler-system");
        config.CertificateAuthorities.Should().ContainSingle().Which.Subject.Should().Be("CN=cluster-ca");
        (await config.TokenProvider!.GetTokenAsync(default)).Should().Be("pod-token");
    }

    [Fact]
    public async Task InCluster_WithAnIPv6ServiceHost_BracketsTheAddress()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "token"), "t");

        var config = KubernetesClientConfiguration.InCluster(Sources("fd00:10:96::1", "443"));

        config.Server.AbsoluteUri.Should().Be("https://[fd00:10:96::1]/");
        config.Namespace.Should().Be("default", "a pod without a namespace file falls back to default");
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

        var act = () => KubernetesClientConfiguration.InCluster(Sources(host, port));

        act.Should().Throw<KubernetesConfigurationException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public async Task FileTokenProvider_RereadsTheTokenWhenTheFileChanges()
    {
        var path = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(path, "first");
        var provider = new FileTokenProvider(path, new ManualTimeProvider());
        (await provider.GetTokenAsync(default)).Should().Be("first");

        await File.WriteAllTextAsync(path, "rotated");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));

        (await provider.GetTokenAsync(default)).Should().Be("rotated");
    }

    [Fact]
    public async Task FileTokenProvider_RereadsTheTokenEveryRefreshIntervalEvenIfTheFileTimeDidNotChange()
    {
        var path = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(path, "first");
        var written = File.GetLastWriteTimeUtc(path);
        var clock = new ManualTimeProvider();
        var provider = new FileTokenProvider(path, clock, TimeSpan.FromMinutes(1));
        (await provider.GetTokenAsync(default)).Should().Be("first");

        await File.WriteAllTextAsync(path, "rotated");
        File.SetLastWriteTimeUtc(path, written);
        (await provider.GetTokenAsync(default)).Should().Be("first", "neither the file time nor the interval says it changed");

        clock.Advance(TimeSpan.FromMinutes(1));
        (await provider.GetTokenAsync(default)).Should().Be("rotated");
    }

    [Fact]
    public async Task FileTokenProvider_WhenTheFileDisappears_KeepsTheLastGoodToken()
    {
        var path = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(path, "good");
        var clock = new ManualTimeProvider();
        var provider = new FileTokenProvider(path, clock);
        (await provider.GetTokenAsync(default)).Should().Be("good");

        File.Delete(path);
        clock.Advance(TimeSpan.FromMinutes(2));

        (await provider.GetTokenAsync(default)).Should().Be("good");
    }

    [Fact]
    public async Task Client_WithARotatingTokenFile_KeepsAuthenticatingAfterRotation()
    {
        var path = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(path, "token-1");
        await using var server = await TestResources.StartServerAsync(new FakeKubernetesApiServerOptions { BearerToken = "token-1" });
        var config = new KubernetesClientConfiguration { Server = server.BaseUrl, TokenProvider = new FileTokenProvider(path) };
        using var client = KubernetesClient.Create(config, new KubernetesClientOptions { Qps = 0 });
        await client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");

        server.BearerToken = "token-2";
        var rejected = () => client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");
        (await rejected.Should().ThrowAsync<KubernetesApiException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
        await File.WriteAllTextAsync(path, "token-2");

        var list = await client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");
        list.Items.Should().BeEmpty();
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
