using System.Text.Json.Nodes;
using Reconciler.Kubernetes.Tests.Fakes;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>An operator given several namespaces, with only the chart's namespaced Role in each of them.</summary>
public sealed class WatchedNamespacesTests
{
    private static readonly string[] Watched = [OperatorFixture.Namespace, "beta"];

    [Fact]
    public async Task SeveralWatchedNamespaces_WithRbacOnlyInThem_AreEachListedAndWatched_AndReconciled()
    {
        await using var fixture = await OperatorFixture.StartAsync(new FakeKubernetesApiServerOptions { ListWatchNamespaces = Watched.ToHashSet(StringComparer.Ordinal) });
        foreach (var ns in Watched)
        {
            await fixture.ConnectAsync(@namespace: ns);
            await fixture.CreateAsync("TagGroup", "priority", TagGroup($"Priority of {ns}"), @namespace: ns);
        }

        var host = fixture.StartOperator(namespaces: Watched);

        foreach (var ns in Watched)
        {
            await OperatorFixture.EventuallyAsync(async () => OperatorFixture.IsSynced(await fixture.GetAsync("TagGroup", "priority", ns)), $"the TagGroup in {ns} synced");
        }

        host.IsReady.Should().BeTrue();
        fixture.Kube.Requests.Where(r => r.Verb is "list" or "watch").Should().OnlyContain(r => r.Namespace != null && Watched.Contains(r.Namespace), "a namespaced Role grants no cluster-wide list or watch");
    }

    private static JsonObject TagGroup(string displayName) => new()
    {
        ["displayName"] = displayName,
        ["appliesTo"] = "Chats",
        ["tags"] = new JsonArray(new JsonObject { ["name"] = "vip", ["color"] = "#ff0000" }),
    };
}
