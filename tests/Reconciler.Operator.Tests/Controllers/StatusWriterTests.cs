using System.Text.Json.Nodes;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes.Tests.Fakes;
using Reconciler.Operator.Controllers;
using Reconciler.Operator.Kinds;
using Reconciler.Operator.Tests.EndToEnd;

namespace Reconciler.Operator.Tests.Controllers;

/// <summary>Status writes over a fake API server, which applies merge patches as RFC 7386 says (nested objects merge).</summary>
public sealed class StatusWriterTests
{
    [Fact]
    public async Task WriteAsync_WhenANestedFieldIsGone_RemovesItFromTheStoredStatus()
    {
        await using var kube = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesApiServerOptions { BearerToken = "t" });
        var type = OperatorKinds.TypeOf("Channel");
        kube.RegisterCustomResource(type, hasStatusSubresource: true);
        using var client = kube.CreateClient();
        var writer = new StatusWriter(client, TimeProvider.System);
        var channel = await client.CreateAsync(type, new CustomResource
        {
            Metadata = new Reconciler.Kubernetes.Models.ObjectMeta { Name = "telegram", Namespace = OperatorFixture.Namespace },
            Spec = new JsonObject { ["type"] = "Telegram" },
        });
        var failing = new ChannelStatus { Id = "ch-1", Connection = new ChannelConnection { State = "Error", Message = "401 Unauthorized: bot token revoked" } };
        await writer.WriteAsync(type, channel, failing, default);
        channel = await client.GetAsync<CustomResource>(type, OperatorFixture.Namespace, "telegram");

        var reconnected = failing with { Connection = new ChannelConnection { State = "Connected" } };
        (await writer.WriteAsync(type, channel, reconnected, default)).Should().BeTrue();
        channel = await client.GetAsync<CustomResource>(type, OperatorFixture.Namespace, "telegram");

        channel.Status!["connection"]!.ToJsonString().Should().Be("""{"state":"Connected"}""", "a connected channel does not keep the error it reported before");
        (await writer.WriteAsync(type, channel, reconnected, default)).Should().BeFalse("the stored status is now the one wanted, so there is nothing to write");
    }
}
