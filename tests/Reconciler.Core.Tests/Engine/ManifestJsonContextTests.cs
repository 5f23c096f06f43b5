using Reconciler.Core.Engine;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Engine;

public sealed class ManifestJsonContextTests
{
    public static TheoryData<string> Kinds() => [.. ResourceCatalog.Kinds.Select(k => k.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kinds_spec_has_generated_metadata_so_its_manifests_are_written_without_reflection(string kind) =>
        ManifestJsonContext.Default.GetTypeInfo(ResourceCatalog.Find(kind)!.SpecType).Should().NotBeNull(
            "a new kind's spec must be added to ManifestJsonContext, or exporting it throws where reflection is off (Native AOT)");
}
