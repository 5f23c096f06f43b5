using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>A group of tags for users, chats or both.</summary>
[KubernetesKind("TagGroup", "taggroups", ShortNames = ["tg"])]
[PrinterColumn("DISPLAY-NAME", ".spec.displayName")]
[PrinterColumn("APPLIES-TO", ".spec.appliesTo")]
[Description("A group of tags that agents put on users, chats or both.")]
public sealed record TagGroup : Resource<TagGroupSpec, ResourceStatus>;

/// <summary>What a tag group's tags can be put on.</summary>
public enum TagTarget
{
    Users,
    Chats,
    Both,
}

[Description("Desired state of the tag group and its tags.")]
public sealed record TagGroupSpec
{
    [Required]
    [MaxLength(200)]
    [Description("Name shown on the platform.")]
    public required string DisplayName { get; init; }

    [Description("Users, Chats or Both.")]
    public TagTarget AppliesTo { get; init; } = TagTarget.Both;

    [MaxLength(100)]
    [CrdList(CrdListType.Map, "name")]
    [CelRule(CelRules.NamesDistinctIgnoringCase, "tag names must be distinct, ignoring case")]
    [Description("Tags of the group; names unique within the group, ignoring case.")]
    public IReadOnlyList<Tag> Tags { get; init; } = [];

    [Description("Delete removes the tag group from the platform when the resource is deleted; Orphan leaves it.")]
    public DeletionPolicy DeletionPolicy { get; init; } = DeletionPolicy.Delete;
}

[Description("A tag.")]
public sealed record Tag
{
    [Required]
    [MaxLength(100)]
    [Description("Tag name.")]
    public required string Name { get; init; }

    [RegularExpression(Patterns.Color)]
    [CrdString(MaxLength = 7)]
    [Description("Colour, #RRGGBB.")]
    public string? Color { get; init; }

    [MaxLength(500)]
    [Description("When to use the tag.")]
    public string? Description { get; init; }
}
