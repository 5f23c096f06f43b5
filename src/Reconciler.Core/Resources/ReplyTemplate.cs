using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>A quick response agents insert by typing its shortcut ("Agent Replies").</summary>
[KubernetesKind("ReplyTemplate", "replytemplates", ShortNames = ["rt"])]
[PrinterColumn("SHORTCUT", ".spec.shortcut")]
[PrinterColumn("TITLE", ".spec.title")]
[Description("A reply template: a quick response agents insert by its shortcut, with its text per language and the business units that may use it.")]
public sealed record ReplyTemplate : Resource<ReplyTemplateSpec, ResourceStatus>;

[Description("Desired state of the reply template on the platform.")]
public sealed record ReplyTemplateSpec
{
    [Required]
    [CrdString(Pattern = Patterns.Shortcut, MaxLength = 32)]
    [Description("What agents type to insert it: '/' and 1-31 lower-case letters, digits, '-' or '_' (/refund); the platform's natural key, unique in the organisation.")]
    public required string Shortcut { get; init; }

    [Required]
    [MaxLength(200)]
    [Description("Title shown in the agents' reply picker.")]
    public required string Title { get; init; }

    [Required]
    [Description("The text per BCP-47 language tag (en, pt-BR); {{customer.name}} and the other placeholders of the platform's catalog are filled in when inserted.")]
    public required IReadOnlyDictionary<string, string> Texts { get; init; }

    [CrdList(CrdListType.Map, "name")]
    [Description("Business units whose agents may use it; none means every agent.")]
    public IReadOnlyList<ResourceRef> BusinessUnitRefs { get; init; } = [];

    [MaxLength(20)]
    [CrdList(CrdListType.Set)]
    [CrdString(MaxLength = 100)]
    [CelRule(CelRules.DistinctIgnoringCase, "tags must be distinct, ignoring case")]
    [Description("Tags to find it by in the picker.")]
    public IReadOnlyList<string> Tags { get; init; } = [];

    [Description("Delete removes the reply template from the platform when the resource is deleted; Orphan leaves it.")]
    public DeletionPolicy DeletionPolicy { get; init; } = DeletionPolicy.Delete;
}
