using Reconciler.Kubernetes.Configuration;
using Reconciler.Kubernetes.Tests.Fakes;

namespace Reconciler.Kubernetes.Tests.Configuration;

public sealed class KubeconfigTests : IDisposable
{
    private const string TwoContexts = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev-cluster
          cluster:
            server: https://dev.example.com:6443
        - name: prod-cluster
          cluster:
            server: https://prod.example.com
            insecure-skip-tls-verify: true
            tls-server-name: api.prod.internal
        users:
        - name: dev-user
          user:
            token: dev-token
        - name: prod-user
          user:
            token: prod-token
        contexts:
        - name: dev
          context:
            cluster: dev-cluster
            user: dev-user
            namespace: team-a
        - name: prod
          context:
            cluster: prod-cluster
            user: prod-user
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("kubeconfig-tests").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task FromKubeconfigYaml_WithoutContext_UsesCurrentContextsClusterUserAndNamespace()
    {
        var config = KubernetesClientConfiguration.FromKubeconfigYaml(TwoContexts);

        config.Server.Should().Be(new Uri("https://dev.example.com:6443"));
        config.Namespace.Should().Be("team-a");
        config.SkipTlsVerify.Should().BeFalse();
        (await config.TokenProvider!.GetTokenAsync(default)).Should().Be("dev-token");
    }

    [Fact]
    public async Task FromKubeconfigYaml_WithNamedContext_UsesThatContextAndDefaultsTheNamespace()
    {
        var config = KubernetesClientConfiguration.FromKubeconfigYaml(TwoContexts, context: "prod");

        config.Server.Should().Be(new Uri("https://prod.example.com"));
        config.Namespace.Should().Be("default");
        config.SkipTlsVerify.Should().BeTrue();
        config.TlsServerName.Should().Be("api.prod.internal");
        (await config.TokenProvider!.GetTokenAsync(default)).Should().Be("prod-token");
    }

    public static TheoryData<string, string, string> BrokenKubeconfigs => new()
    {
        // yaml, context, what the message must say
        { TwoContexts, "staging", "context \"staging\" does not exist (contexts: dev, prod)" },
        { TwoContexts.Replace("current-context: dev", "", StringComparison.Ordinal), "", "no current-context is set and no context was given" },
        { TwoContexts.Replace("cluster: dev-cluster", "cluster: gone", StringComparison.Ordinal), "", "refers to cluster \"gone\", which is not defined" },
        { TwoContexts.Replace("user: dev-user", "user: nobody", StringComparison.Ordinal), "", "refers to user \"nobody\", which is not defined" },
        { TwoContexts.Replace("server: https://dev.example.com:6443", "server: dev.example.com", StringComparison.Ordinal), "", "needs a server URL" },
        { UserYaml("exec:\n      command: aws"), "", "exec credential plugin (aws), which is not supported" },
        { UserYaml("auth-provider:\n      name: gcp"), "", "auth-provider \"gcp\", which is not supported" },
        { UserYaml("username: admin\n    password: secret"), "", "basic authentication" },
        { UserYaml("client-certificate-data: not*base64"), "", "client-certificate-data is not valid base64" },
        { UserYaml("client-certificate-data: " + Base64("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")), "", "needs both the certificate and its key" },
        { UserYaml("tokenFile: /nonexistent/token"), "", "tokenFile /nonexistent/token does not exist" },
        { "clusters: [", "", "is not a valid kubeconfig" },
    };

    [Theory]
    [MemberData(nameof(BrokenKubeconfigs))]
    public void FromKubeconfigYaml_WhenUnusable_ThrowsAConfigurationErrorSayingWhy(string yaml, string context, string expected)
    {
        var act = () => KubernetesClientConfiguration.FromKubeconfigYaml(yaml, context.Length == 0 ? null : context);

        act.Should().Throw<KubernetesConfigurationException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void FromKubeconfigYaml_WithCertificateData_LoadsClientCertificateAndCaBundle()
    {
        var authority = TestCertificates.CreateAuthority("test-ca");
        var client = TestCertificates.IssueClient(authority, "alice");
        var yaml = $$"""
            current-context: c
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {{Base64(authority.CertificatePem)}}
            users:
            - name: u
              user:
                client-certificate-data: {{Base64(client.CertificatePem)}}
                client-key-data: {{Base64(client.KeyPem)}}
            contexts:
            - name: c
              context: {cluster: c, user: u}
            """;

        var config = KubernetesClientConfiguration.FromKubeconfigYaml(yaml);

        config.TokenProvider.Should().BeNull();
        config.ClientCertificate!.HasPrivateKey.Should().BeTrue();
        config.ClientCertificate.Subject.Should().Contain("CN=alice");
        config.CertificateAuthorities.Should().ContainSingle().Which.Subject.Should().Be("CN=test-ca");
    }

    [Fact]
    public async Task FromKubeconfigFile_ResolvesRelativeCertificateAndTokenPathsAgainstTheFilesDirectory()
    {
        var authority = TestCertificates.CreateAuthority("relative-ca");
        var client = TestCertificates.IssueClient(authority, "bob");
        Directory.CreateDirectory(Path.Combine(_directory, "pki"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "pki", "ca.crt"), authority.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(_directory, "pki", "bob.crt"), client.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(_directory, "pki", "bob.key"), client.KeyPem);
        await File.WriteAllTextAsync(Path.Combine(_directory, "token"), "file-token\n");
        var path = Path.Combine(_directory, "config");
        await File.WriteAllTextAsync(path, """
            current-context: c
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1", certificate-authority: pki/ca.crt}
            users:
            - name: u
              user: {client-certificate: pki/bob.crt, client-key: pki/bob.key, tokenFile: token}
            contexts:
            - name: c
              context: {cluster: c, user: u}
            """);

        var config = KubernetesClientConfiguration.FromKubeconfigFile(path);

        config.CertificateAuthorities.Should().ContainSingle().Which.Subject.Should().Be("CN=relative-ca");
        config.ClientCertificate!.Subject.Should().Contain("CN=bob");
        (await config.TokenProvider!.GetTokenAsync(default)).Should().Be("file-token");
    }

    [Fact]
    public async Task Load_WithKubeconfigList_MergesFilesAndTheFirstDefinitionOfEachEntryWins()
    {
        var first = Path.Combine(_directory, "first");
        var second = Path.Combine(_directory, "second");
        await File.WriteAllTextAsync(first, """
            current-context: a
            clusters:
            - name: shared
              cluster: {server: "https://first.example.com"}
            users:
            - name: a-user
              user: {token: first-token}
            contexts:
            - name: a
              context: {cluster: shared, user: a-user}
            """);
        await File.WriteAllTextAsync(second, """
            current-context: b
            clusters:
            - name: shared
              cluster: {server: "https://second.example.com"}
            - name: only-second
              cluster: {server: "https://only-second.example.com"}
            users:
            - name: a-user
              user: {token: second-token}
            contexts:
            - name: b
              context: {cluster: only-second, user: a-user}
            """);
        var missing = Path.Combine(_directory, "missing");
        var sources = Sources(kubeconfig: $"{missing}:{first}:{second}");

        var current = KubernetesClientConfiguration.Load(sources);
        var other = KubernetesClientConfiguration.Load(sources with { Context = "b" });

        current.Server.Host.Should().Be("first.example.com", "current-context and cluster come from the first file defining them");
        (await current.TokenProvider!.GetTokenAsync(default)).Should().Be("first-token");
        other.Server.Host.Should().Be("only-second.example.com", "entries only the second file defines are still merged in");
        (await other.TokenProvider!.GetTokenAsync(default)).Should().Be("first-token", "the user entry of the first file wins");
    }

    [Fact]
    public void Load_PrefersExplicitPathOverKubeconfigVariableOverInClusterOverHome()
    {
        var explicitPath = WriteConfig("explicit", "https://explicit.example.com");
        var variablePath = WriteConfig("variable", "https://variable.example.com");
        var home = Path.Combine(_directory, "home");
        Directory.CreateDirectory(Path.Combine(home, ".kube"));
        File.Copy(WriteConfig("home-config", "https://home.example.com"), Path.Combine(home, ".kube", "config"));
        var serviceAccount = WriteServiceAccount("sa-token", "from-pod");

        KubernetesClientConfiguration.Load(Sources(variablePath, true, home, serviceAccount) with { KubeconfigPath = explicitPath })
            .Server.Host.Should().Be("explicit.example.com");
        KubernetesClientConfiguration.Load(Sources(variablePath, true, home, serviceAccount))
            .Server.Host.Should().Be("variable.example.com");
        KubernetesClientConfiguration.Load(Sources(null, true, home, serviceAccount))
            .Source.Should().Be("in-cluster service account");
        KubernetesClientConfiguration.Load(Sources(null, false, home, serviceAccount))
            .Server.Host.Should().Be("home.example.com");
    }

    [Fact]
    public void Load_WhenNothingIsConfigured_ExplainsEveryPlaceItLooked()
    {
        var act = () => KubernetesClientConfiguration.Load(Sources(kubeconfig: null, inCluster: false, home: _directory));

        act.Should().Throw<KubernetesConfigurationException>().Which.Message.Should()
            .Contain("--kubeconfig was not given").And
            .Contain("KUBECONFIG is not set").And
            .Contain("KUBERNETES_SERVICE_HOST is not set").And
            .Contain(Path.Combine(_directory, ".kube", "config") + " does not exist");
    }

    [Fact]
    public void Load_WithAMissingExplicitKubeconfig_FailsRatherThanFallingBack()
    {
        var act = () => KubernetesClientConfiguration.Load(Sources(null, true, _directory) with { KubeconfigPath = "/nope/config" });

        act.Should().Throw<KubernetesConfigurationException>().WithMessage("*/nope/config given by --kubeconfig does not exist*");
    }

    private string WriteConfig(string name, string server)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, $$"""
            current-context: c
            clusters:
            - name: c
              cluster: {server: "{{server}}"}
            contexts:
            - name: c
              context: {cluster: c}
            """);
        return path;
    }

    private string WriteServiceAccount(string token, string ns)
    {
        var directory = Path.Combine(_directory, "serviceaccount");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "token"), token);
        File.WriteAllText(Path.Combine(directory, "namespace"), ns);
        return directory;
    }

    private static KubernetesConfigurationSources Sources(string? kubeconfig, bool inCluster = false, string? home = null, string? serviceAccount = null) => new()
    {
        GetEnvironmentVariable = name => name switch
        {
            "KUBECONFIG" => kubeconfig,
            "KUBERNETES_SERVICE_HOST" when inCluster => "10.96.0.1",
            "KUBERNETES_SERVICE_PORT" when inCluster => "443",
            _ => null,
        },
        HomeDirectory = home,
        ServiceAccountDirectory = serviceAccount ?? "/nonexistent",
    };

    private static string UserYaml(string user) => $"""
        current-context: c
        clusters:
        - name: c
          cluster:
            server: https://127.0.0.1:6443
        users:
        - name: u
          user:
            {user}
        contexts:
        - name: c
          context: {"{"}cluster: c, user: u{"}"}
        """;

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
}
