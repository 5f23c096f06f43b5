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
    public void FromKubeconfigYaml_WithoutContext_UsesCurrentContextsClusterUserAndNamespace()
    {
        var connection = KubernetesConnection.FromKubeconfigYaml(TwoContexts);

        new Uri(connection.Configuration.Host).Should().Be(new Uri("https://dev.example.com:6443"));
        connection.Namespace.Should().Be("team-a");
        connection.Source.Should().Be("kubeconfig (context dev)");
        connection.Configuration.SkipTlsVerify.Should().BeFalse();
        connection.Configuration.AccessToken.Should().Be("dev-token");
    }

    [Fact]
    public void FromKubeconfigYaml_WithNamedContext_UsesThatContextAndDefaultsTheNamespace()
    {
        var connection = KubernetesConnection.FromKubeconfigYaml(TwoContexts, context: "prod");

        new Uri(connection.Configuration.Host).Should().Be(new Uri("https://prod.example.com"));
        connection.Namespace.Should().Be("default");
        connection.Configuration.SkipTlsVerify.Should().BeTrue();
        connection.Configuration.TlsServerName.Should().Be("api.prod.internal");
        connection.Configuration.AccessToken.Should().Be("prod-token");
    }

    public static TheoryData<string, string, string> BrokenKubeconfigs => new()
    {
        // yaml, context, what the message must say
        { TwoContexts, "staging", "context \"staging\" does not exist (contexts: dev, prod)" },
        { TwoContexts.Replace("current-context: dev", "", StringComparison.Ordinal), "", "no current-context is set and no context was given" },
        { TwoContexts.Replace("cluster: dev-cluster", "cluster: gone", StringComparison.Ordinal), "", "Cluster not found for context" },
        { TwoContexts.Replace("user: dev-user", "user: nobody", StringComparison.Ordinal), "", "User not found for context dev" },
        { UserYaml("exec:\n      command: aws"), "", "External command execution missing ApiVersion key" },
        { UserYaml("exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /nonexistent/plugin"), "", "external exec failed" },
        { UserYaml("auth-provider:\n      name: gcp\n      config: {access-token: x}"), "", "gke-gcloud-auth-plugin" },
        { UserYaml("username: admin"), "", "does not have appropriate auth credentials" },
        { "clusters: [", "", "not a readable kubeconfig" },
    };

    [Theory]
    [MemberData(nameof(BrokenKubeconfigs))]
    public void FromKubeconfigYaml_WhenUnusable_ThrowsAOneLineConfigurationErrorSayingWhy(string yaml, string context, string expected)
    {
        var act = () => KubernetesConnection.FromKubeconfigYaml(yaml, context.Length == 0 ? null : context);

        var message = act.Should().Throw<KubernetesConfigurationException>().Which.Message;
        message.Should().Contain(expected).And.NotContain("\n").And.NotContain("   at ");
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

        var config = KubernetesConnection.FromKubeconfigYaml(yaml).Configuration;

        config.TokenProvider.Should().BeNull();
        config.ClientCertificateData.Should().Be(Base64(client.CertificatePem));
        config.ClientCertificateKeyData.Should().Be(Base64(client.KeyPem));
        config.SslCaCerts.Should().ContainSingle().Which.Subject.Should().Be("CN=test-ca");
    }

    [Fact]
    public async Task FromKubeconfigFile_ResolvesRelativeCertificatePathsAgainstTheFilesDirectory()
    {
        var authority = TestCertificates.CreateAuthority("relative-ca");
        var client = TestCertificates.IssueClient(authority, "bob");
        Directory.CreateDirectory(Path.Combine(_directory, "pki"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "pki", "ca.crt"), authority.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(_directory, "pki", "bob.crt"), client.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(_directory, "pki", "bob.key"), client.KeyPem);
        var path = Path.Combine(_directory, "config");
        await File.WriteAllTextAsync(path, """
            current-context: c
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1", certificate-authority: pki/ca.crt}
            users:
            - name: u
              user: {client-certificate: pki/bob.crt, client-key: pki/bob.key}
            contexts:
            - name: c
              context: {cluster: c, user: u}
            """);

        var config = KubernetesConnection.FromKubeconfigFiles([path]).Configuration;

        config.SslCaCerts.Should().ContainSingle().Which.Subject.Should().Be("CN=relative-ca");
        config.ClientCertificateFilePath.Should().Be(Path.Combine(_directory, "pki", "bob.crt"));
        config.ClientKeyFilePath.Should().Be(Path.Combine(_directory, "pki", "bob.key"));
    }

    [Theory]
    [InlineData("tokenFile: secrets/token", "a user with only a tokenFile (kubeconfigs written for bound service-account tokens)")]
    [InlineData("{token: stale-token, tokenFile: secrets/token}", "client-go reads the file and prefers it over the static token")]
    public async Task FromKubeconfigFile_WithATokenFile_AuthenticatesWithTheFilesTokenAndRereadsIt(string user, string why)
    {
        await using var server = await TestResources.StartServerAsync(new FakeKubernetesApiServerOptions { BearerToken = "file-token" });
        Directory.CreateDirectory(Path.Combine(_directory, "secrets"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "secrets", "token"), "file-token\n");
        var path = Path.Combine(_directory, "config");
        await File.WriteAllTextAsync(path, UserYaml(user).Replace("https://127.0.0.1:6443", server.BaseUrl.AbsoluteUri, StringComparison.Ordinal));

        var connection = KubernetesConnection.FromKubeconfigFiles([path]);
        using var client = KubernetesClient.Create(connection);
        var list = await client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");

        list.Items.Should().BeEmpty(why);
        server.Requests.Should().ContainSingle().Which.User.Should().Be("token", why);
        connection.Configuration.TokenProvider.Should().BeOfType<RotatingTokenFile>("a rotated token is picked up without a restart, as client-go's cached file token source does")
            .Which.Path.Should().Be(Path.Combine(_directory, "secrets", "token"), "a relative tokenFile is relative to its kubeconfig");
    }

    [Fact]
    public async Task FromKubeconfigFile_WithATokenFileNotYetReadable_SendsTheStaticTokenUntilTheFileCanBeRead()
    {
        // client-go falls back to the user's token while its tokenFile cannot be read, and takes the file's once it can.
        await using var server = await TestResources.StartServerAsync(new FakeKubernetesApiServerOptions { BearerToken = "static-token" });
        var path = Path.Combine(_directory, "config");
        await File.WriteAllTextAsync(path, UserYaml("{token: static-token, tokenFile: secrets/token}").Replace("https://127.0.0.1:6443", server.BaseUrl.AbsoluteUri, StringComparison.Ordinal));
        using var client = KubernetesClient.Create(KubernetesConnection.FromKubeconfigFiles([path]));
        await client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");

        Directory.CreateDirectory(Path.Combine(_directory, "secrets"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "secrets", "token"), "file-token\n");
        server.BearerToken = "file-token";
        await client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");

        server.Requests.Should().HaveCount(2).And.OnlyContain(r => r.User == "token", "each request carried the token the server accepted then");
    }

    [Fact]
    public void FromKubeconfigFile_WithAnUnreadableTokenFileAndNoToken_SaysWhichFile()
    {
        var path = Path.Combine(_directory, "config");
        File.WriteAllText(path, UserYaml("tokenFile: missing-token"));

        var act = () => KubernetesConnection.FromKubeconfigFiles([path]);

        act.Should().Throw<KubernetesConfigurationException>().Which.Message.Should().Contain(Path.Combine(_directory, "missing-token"));
    }

    [Fact]
    public void Load_WithKubeconfigList_MergesFilesAndTheFirstDefinitionOfEachEntryWins()
    {
        var first = Path.Combine(_directory, "first");
        var second = Path.Combine(_directory, "second");
        File.WriteAllText(first, """
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
        File.WriteAllText(second, """
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

        var current = KubernetesConnection.Load(sources).Configuration;
        var other = KubernetesConnection.Load(sources with { Context = "b" }).Configuration;

        new Uri(current.Host).Host.Should().Be("first.example.com", "current-context and cluster come from the first file defining them");
        current.AccessToken.Should().Be("first-token");
        new Uri(other.Host).Host.Should().Be("only-second.example.com", "entries only the second file defines are still merged in");
        other.AccessToken.Should().Be("first-token", "the user entry of the first file wins");
    }

    [Fact]
    public async Task Load_WithKubeconfigList_ResolvesRelativePathsAgainstTheFileThatNamesThem()
    {
        var authority = TestCertificates.CreateAuthority("second-ca");
        var client = TestCertificates.IssueClient(authority, "bob");
        var firstDirectory = Directory.CreateDirectory(Path.Combine(_directory, "first")).FullName;
        var secondDirectory = Directory.CreateDirectory(Path.Combine(_directory, "second", "pki")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(secondDirectory, "pki", "ca.crt"), authority.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(secondDirectory, "pki", "bob.crt"), client.CertificatePem);
        await File.WriteAllTextAsync(Path.Combine(secondDirectory, "pki", "bob.key"), client.KeyPem);
        await File.WriteAllTextAsync(Path.Combine(firstDirectory, "config"), """
            current-context: c
            contexts:
            - name: c
              context: {cluster: c, user: u}
            """);
        await File.WriteAllTextAsync(Path.Combine(secondDirectory, "config"), """
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1", certificate-authority: pki/ca.crt}
            users:
            - name: u
              user: {client-certificate: pki/bob.crt, client-key: pki/bob.key}
            """);

        var config = KubernetesConnection.Load(Sources($"{Path.Combine(firstDirectory, "config")}:{Path.Combine(secondDirectory, "config")}")).Configuration;

        config.SslCaCerts.Should().ContainSingle("kubectl reads a relative path against the file that holds it").Which.Subject.Should().Be("CN=second-ca");
        config.ClientCertificateFilePath.Should().Be(Path.Combine(secondDirectory, "pki", "bob.crt"));
        config.ClientKeyFilePath.Should().Be(Path.Combine(secondDirectory, "pki", "bob.key"));
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

        Host(KubernetesConnection.Load(Sources(variablePath, true, home, serviceAccount) with { KubeconfigPath = explicitPath }))
            .Should().Be("explicit.example.com");
        Host(KubernetesConnection.Load(Sources(variablePath, true, home, serviceAccount)))
            .Should().Be("variable.example.com");
        KubernetesConnection.Load(Sources(null, true, home, serviceAccount))
            .Source.Should().Be("in-cluster service account");
        Host(KubernetesConnection.Load(Sources(null, false, home, serviceAccount)))
            .Should().Be("home.example.com");
    }

    [Fact]
    public void Load_WhenNothingIsConfigured_ExplainsEveryPlaceItLooked()
    {
        var act = () => KubernetesConnection.Load(Sources(kubeconfig: null, inCluster: false, home: _directory));

        act.Should().Throw<KubernetesConfigurationException>().Which.Message.Should()
            .Contain("--kubeconfig was not given").And
            .Contain("KUBECONFIG is not set").And
            .Contain("KUBERNETES_SERVICE_HOST is not set").And
            .Contain(Path.Combine(_directory, ".kube", "config") + " does not exist");
    }

    [Fact]
    public void Load_WithAMissingExplicitKubeconfig_FailsRatherThanFallingBack()
    {
        var act = () => KubernetesConnection.Load(Sources(null, true, _directory) with { KubeconfigPath = "/nope/config" });

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
            users:
            - name: u
              user: {token: t}
            contexts:
            - name: c
              context: {cluster: c, user: u}
            """);
        return path;
    }

    private static string Host(KubernetesConnection connection) => new Uri(connection.Configuration.Host).Host;

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
