using Reconciler.Kubernetes.Configuration;
using Reconciler.Kubernetes.Tests.Fakes;

namespace Reconciler.Kubernetes.Tests.Configuration;

/// <summary>
/// kubeconfig users that authenticate through an exec credential plugin (aws eks get-token, gke-gcloud-auth-plugin,
/// kubelogin), with a small shell script standing in for the plugin.
/// </summary>
public sealed class ExecPluginTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("exec-plugin-tests").FullName;
    private FakeKubernetesApiServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestResources.StartServerAsync(new FakeKubernetesApiServerOptions { BearerToken = "token-from-plugin" });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AnExecPlugin_SuppliesTheBearerTokenTheApiServerAccepts()
    {
        var calls = Path.Combine(_directory, "calls");
        var plugin = WritePlugin($$$"""
            #!/bin/sh
            # Records how it was called, then prints an ExecCredential as kubectl's plugins do.
            echo "$* $CLUSTER_NAME $KUBERNETES_EXEC_INFO" >> '{{{calls}}}'
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' "$PLUGIN_TOKEN"
            """);
        using var client = KubernetesClient.Create(KubernetesConnection.FromKubeconfigYaml(Kubeconfig(plugin)));

        var list = await client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");

        list.Items.Should().BeEmpty();
        _server.Requests.Should().ContainSingle().Which.User.Should().Be("token", "the request carried the plugin's token");
        var call = (await File.ReadAllLinesAsync(calls))[0];
        call.Should().StartWith("token --cluster fake fake-cluster").And.Contain("client.authentication.k8s.io/v1");
    }

    [Fact]
    public void AFailingExecPlugin_IsReportedInOneLine()
    {
        var plugin = WritePlugin("""
            #!/bin/sh
            echo "error: the SSO session has expired; run aws sso login" >&2
            exit 1
            """);

        var act = () => KubernetesConnection.FromKubeconfigYaml(Kubeconfig(plugin));

        var message = act.Should().Throw<KubernetesConfigurationException>().Which.Message;
        message.Should().StartWith("kubeconfig (context fake): external exec failed").And.NotContain("\n");
    }

    [Fact]
    public async Task AnExecCommandGivenAsARelativePath_IsRunFromBesideTheKubeconfig_AsClientGoRunsIt()
    {
        // A kubeconfig shipped with its plugin (command: ./plugin.sh) works from any working directory.
        WritePlugin("""
            #!/bin/sh
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' "$PLUGIN_TOKEN"
            """);
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        File.WriteAllText(kubeconfig, Kubeconfig("./plugin.sh"));
        Directory.GetCurrentDirectory().Should().NotBe(_directory);

        using var client = KubernetesClient.Create(KubernetesConnection.FromKubeconfigFiles([kubeconfig]));
        await client.ListAsync<Models.Secret>(ResourceType.Secrets, "default");

        _server.Requests.Should().ContainSingle().Which.User.Should().Be("token", "the request carried the plugin's token");
    }

    private string WritePlugin(string script)
    {
        var path = Path.Combine(_directory, "plugin.sh");
        File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private string Kubeconfig(string plugin) => $$"""
        apiVersion: v1
        kind: Config
        current-context: fake
        clusters:
        - name: fake
          cluster:
            server: {{_server.BaseUrl.AbsoluteUri.TrimEnd('/')}}
        users:
        - name: plugin-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: {{plugin}}
              args: [token, --cluster, fake]
              env:
              - {name: CLUSTER_NAME, value: fake-cluster}
              - {name: PLUGIN_TOKEN, value: token-from-plugin}
              interactiveMode: Never
        contexts:
        - name: fake
          context: {cluster: fake, user: plugin-user}
        """;
}
