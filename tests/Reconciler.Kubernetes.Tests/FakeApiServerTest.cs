using Reconciler.Kubernetes.Tests.Fakes;

namespace Reconciler.Kubernetes.Tests;

/// <summary>A fresh fake API server and a real client for every test, so resource versions and stores never leak between tests.</summary>
public abstract class FakeApiServerTest : IAsyncLifetime
{
    protected FakeKubernetesApiServer Server { get; private set; } = null!;

    protected KubernetesClient Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Server = await TestResources.StartServerAsync();
        Client = Server.CreateClient();
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
