using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>Tag groups: tags compared by name, colours case-insensitively.</summary>
public sealed class TagGroupMapper : KindMapper<TagGroup>
{
    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("name") { ManifestName = "metadata.name" },
        new("displayName"),
        new("appliesTo") { Default = "Both" },
        new("tags", ComparisonShape.KeyedList) { KeyField = "name", Children = [new("name"), new("color", ComparisonShape.CaseInsensitive), new("description")] },
    ];

    protected override DesiredObject Map(TagGroup resource, MappingContext context) => Plain(new JsonObject
    {
        ["name"] = resource.Metadata.Name,
        ["displayName"] = resource.Spec.DisplayName,
        ["appliesTo"] = resource.Spec.AppliesTo.ToString(),
        ["tags"] = new JsonArray([.. resource.Spec.Tags.Select(t => (JsonNode?)new JsonObject
        {
            ["name"] = t.Name,
            ["color"] = t.Color,
            ["description"] = t.Description,
        })]),
    });

    public override TagGroup Export(PlatformObject platformObject, ExportContext context)
    {
        var f = platformObject.Fields;
        return new TagGroup
        {
            Metadata = Meta(context.NameOf(Collection, platformObject.Id)!),
            Spec = new TagGroupSpec
            {
                DisplayName = ReadString(f["displayName"]) ?? platformObject.Key,
                AppliesTo = ReadEnum(f["appliesTo"], TagTarget.Both),
                Tags = [.. (f["tags"] as JsonArray ?? []).OfType<JsonObject>().Select(t => new Tag
                {
                    Name = ReadString(t["name"]) ?? "",
                    Color = ReadString(t["color"]),
                    Description = ReadString(t["description"]),
                })],
            },
        };
    }
}
