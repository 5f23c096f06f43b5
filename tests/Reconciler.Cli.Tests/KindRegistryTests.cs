using Reconciler.Core.Mapping;
using Reconciler.Platform.Contract;

namespace Reconciler.Cli.Tests;

/// <summary>The contract cannot see Core's kind descriptions, so this holds its list of collections equal to them.</summary>
public sealed class KindRegistryTests
{
    [Fact]
    public void The_contracts_mutable_collections_are_the_described_platform_kinds_in_dependency_order()
    {
        var described = KindMappers.InDependencyOrder.Where(c => !c.IsSingleton).Select(c => c.Collection);

        AdminApi.Collections.Mutable.Should().Equal(described);
    }

    [Fact]
    public void The_contracts_singleton_collection_is_the_described_singleton_kind() =>
        KindMappers.InDependencyOrder.Where(c => c.IsSingleton).Select(c => c.Collection).Should().Equal(AdminApi.Collections.Singletons);
}
