using Reconciler.Core.Mapping;

namespace Reconciler.Core.Resources;

/// <summary>Tag groups: reference nothing.</summary>
public static class TagGroupKind
{
    public static readonly KindDescription<TagGroup> Description = new()
    {
        Collection = "tag-groups",
        ApplyOrder = 3,
        ExportFileName = "tag-groups.yaml",
        Mapper = new TagGroupMapper(),
    };
}
