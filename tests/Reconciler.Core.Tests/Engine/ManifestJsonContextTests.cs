using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Core.Tests.ResourceKinds;

namespace Reconciler.Core.Tests.Engine;

public sealed class ManifestJsonContextTests
{
    [Theory]
    [MemberData(nameof(KindDescriptionTests.Kinds), MemberType = typeof(KindDescriptionTests))]
    public void Every_kinds_spec_has_generated_metadata_so_its_manifests_are_written_without_reflection(string kind) =>
        ManifestJsonContext.Default.GetTypeInfo(ResourceCatalog.Find(kind)!.SpecType).Should().NotBeNull(
            "a new kind's spec must be added to ManifestJsonContext, or exporting it throws where reflection is off (Native AOT)");
}
