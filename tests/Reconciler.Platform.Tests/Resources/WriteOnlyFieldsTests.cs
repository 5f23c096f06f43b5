using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Platform.Audit;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Resources;

namespace Reconciler.Platform.Tests.Resources;

/// <summary>Secrets are declared once in the contract ([WriteOnly]); the handlers strip and the audit trail masks exactly those.</summary>
public sealed class WriteOnlyFieldsTests
{
    [Fact]
    public void The_handlers_with_secrets_are_those_whose_dto_declares_write_only_fields()
    {
        Handlers.All.Where(h => h.HasSecrets).Select(h => h.Collection)
            .Should().Equal(AdminApi.Collections.SsoProviders, AdminApi.Collections.Channels, AdminApi.Collections.Organization);
        Handlers.Organization.WriteOnly.Should().BeEquivalentTo(["pushNotifications.serviceAccountKey"]);
        Handlers.Channels.WriteOnly.Should().BeEquivalentTo(["telegram.token", "line.channelSecret", "line.accessToken"]);
        Handlers.SsoProviders.WriteOnly.Should().BeEquivalentTo(["oidc.clientSecret"]);
    }

    [Fact]
    public void Present_strips_every_write_only_field_and_keeps_the_rest()
    {
        var stored = new ChannelDto
        {
            Name = "line-jp",
            Type = "Line",
            DisplayName = "LINE",
            Line = new LineDto { ChannelName = "Acme JP", ChannelSecret = "line-s3cret", AccessToken = "line-t0ken" },
        };

        var presented = JsonSerializer.Serialize(Handlers.Channels.Present(stored), typeof(ChannelDto), WireJson.Options);

        presented.Should().NotContain("line-s3cret").And.NotContain("line-t0ken").And.Contain("\"channelName\":\"Acme JP\"");
    }

    [Fact]
    public void The_audit_diff_masks_the_declared_paths_only()
    {
        var before = JsonNode.Parse("""{"telegram":{"botName":"a","token":"old-t0ken"},"token":"a-plain-field"}""")!.AsObject();
        var after = JsonNode.Parse("""{"telegram":{"botName":"b","token":"new-t0ken"},"token":"another-plain-field"}""")!.AsObject();

        var changes = AuditDiff.Compute(before, after, Handlers.Channels.WriteOnly).ToDictionary(c => c.Field);

        changes["telegram.token"].To!.Value.GetString().Should().Be(AuditDiff.Mask);
        changes["telegram.token"].From!.Value.GetString().Should().Be(AuditDiff.Mask);
        changes["telegram.botName"].To!.Value.GetString().Should().Be("b");
        changes["token"].To!.Value.GetString().Should().Be("another-plain-field", "only the contract's paths are secret, not every field of that name");
    }
}
