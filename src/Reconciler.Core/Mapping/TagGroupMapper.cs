using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>Tag groups: tags compared by name, colours case-insensitively.</summary>
public sealed class TagGroupMapper : KindMapper<TagGroup, TagGroupDto>
{
    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("name") { ManifestName = "metadata.name" },
        new("displayName"),
        new("appliesTo") { Default = "Both" },
        new("tags", ComparisonShape.KeyedList) { KeyField = "name", Children = [new("name"), new("color", ComparisonShape.CaseInsensitive), new("description")] },
    ];

    protected override DesiredObject Map(TagGroup resource, MappingContext context) => Body(new TagGroupDto
    {
        Name = resource.Metadata.Name,
        DisplayName = resource.Spec.DisplayName,
        AppliesTo = resource.Spec.AppliesTo.ToString(),
        Tags = [.. resource.Spec.Tags.Select(t => new TagDto { Name = t.Name, Color = t.Color, Description = t.Description })],
    });

    protected override TagGroup Export(TagGroupDto wire, ExportContext context) => new()
    {
        Metadata = Meta(NameOf(wire, context)),
        Spec = new TagGroupSpec
        {
            DisplayName = wire.DisplayName ?? wire.Key!,
            AppliesTo = ReadEnum(wire.AppliesTo, TagTarget.Both),
            Tags = [.. (wire.Tags ?? []).Select(t => new Tag { Name = t.Name ?? "", Color = t.Color, Description = t.Description })],
        },
    };
}
