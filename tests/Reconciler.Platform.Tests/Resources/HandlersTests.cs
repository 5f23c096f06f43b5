using Reconciler.Platform.Contract;
using Reconciler.Platform.Resources;

namespace Reconciler.Platform.Tests.Resources;

/// <summary>The reference platform serves exactly the contract's collections, in the order they reference each other.</summary>
public sealed class HandlersTests
{
    [Fact]
    public void Handlers_ServeTheContractsMutableCollectionsInOrderAndThenTheOrganization() =>
        Handlers.All.Select(h => h.Collection).Should().Equal([.. AdminApi.Collections.Mutable, AdminApi.Collections.Organization]);
}
