using Reconciler.Kubernetes.Models;
using Reconciler.Kubernetes.Tests.Fakes;

namespace Reconciler.Kubernetes.Tests;

/// <summary>The spec of the test custom resource.</summary>
public sealed record WidgetSpec
{
    public string? Color { get; init; }

    public int Size { get; init; }
}

/// <summary>The status of the test custom resource.</summary>
public sealed record WidgetStatus
{
    public string? Phase { get; init; }

    public long? ObservedGeneration { get; init; }
}

/// <summary>A namespaced custom resource with a status subresource, and a cluster-scoped one, for the tests.</summary>
public static class TestResources
{
    public static readonly ResourceType Widgets = new("test.reconciler.dev", "v1alpha1", "widgets", "Widget");

    public static readonly ResourceType ClusterWidgets = new("test.reconciler.dev", "v1alpha1", "clusterwidgets", "ClusterWidget", Namespaced: false);

    /// <summary>Like Widgets, but without a status subresource.</summary>
    public static readonly ResourceType Gadgets = new("test.reconciler.dev", "v1alpha1", "gadgets", "Gadget");

    public static KubernetesObject<WidgetSpec, WidgetStatus> Widget(string name, string? ns = "default", string color = "red", IReadOnlyDictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels },
        Spec = new WidgetSpec { Color = color, Size = 1 },
    };

    public static async Task<FakeKubernetesApiServer> StartServerAsync(FakeKubernetesApiServerOptions? options = null)
    {
        var server = await FakeKubernetesApiServer.StartAsync(options);
        server.RegisterCustomResource(Widgets);
        server.RegisterCustomResource(ClusterWidgets);
        server.RegisterCustomResource(Gadgets, hasStatusSubresource: false);
        return server;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; for behaviour that completes on another task.</summary>
    public static Task EventuallyAsync(Func<bool> condition, string because, TimeSpan? timeout = null) =>
        EventuallyAsync(() => Task.FromResult(condition()), because, timeout);

    /// <summary>Polls until <paramref name="condition"/> holds, awaiting it rather than blocking on a read.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > (timeout ?? TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"Timed out waiting until {because}.");
            }

            await Task.Delay(10);
        }
    }
}
