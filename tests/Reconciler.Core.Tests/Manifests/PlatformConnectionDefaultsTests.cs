using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Manifests;

public sealed class PlatformConnectionDefaultsTests
{
    [Fact]
    public void A_connection_without_a_request_budget_has_no_ceiling_so_the_client_adapts_to_the_platforms_429s()
    {
        var set = ManifestLoader.LoadYaml("""
            apiVersion: support.reconciler.dev/v1alpha1
            kind: PlatformConnection
            metadata: {name: platform}
            spec: {url: https://admin.example.com}
            """);

        set.Diagnostics.Should().BeEmpty();
        set.OfType<PlatformConnection>().Single().Spec.RequestsPerSecond.Should().BeNull();
    }

    [Fact]
    public void A_request_budget_written_in_the_manifest_is_the_ceiling()
    {
        var set = ManifestLoader.LoadYaml("""
            apiVersion: support.reconciler.dev/v1alpha1
            kind: PlatformConnection
            metadata: {name: platform}
            spec: {url: https://admin.example.com, requestsPerSecond: 7}
            """);

        set.OfType<PlatformConnection>().Single().Spec.RequestsPerSecond.Should().Be(7);
    }
}
