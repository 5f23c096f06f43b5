using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>Reply templates: texts compared as a map of language to text (shown language by language), tags as a set ignoring case.</summary>
public sealed class ReplyTemplateMapper : KindMapper<ReplyTemplate, ReplyTemplateDto>
{
    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("shortcut"),
        new("title"),
        new("texts", ComparisonShape.Map),
        new("businessUnitIds", ComparisonShape.Set) { ReferenceKind = "BusinessUnit" },
        new("tags", ComparisonShape.CaseInsensitiveSet),
    ];

    protected override DesiredObject Map(ReplyTemplate resource, MappingContext context) => Body(new ReplyTemplateDto
    {
        Shortcut = resource.Spec.Shortcut,
        Title = resource.Spec.Title,
        Texts = resource.Spec.Texts.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
        BusinessUnitIds = ResolveAll(resource, context, "spec.businessUnitRefs"),
        Tags = [.. resource.Spec.Tags],
    });

    protected override ReplyTemplate Export(ReplyTemplateDto wire, ExportContext context) => new()
    {
        Metadata = Meta(NameOf(wire, context)),
        Spec = new ReplyTemplateSpec
        {
            Shortcut = wire.Shortcut ?? wire.Key!,
            Title = wire.Title ?? "",
            Texts = new Dictionary<string, string>(wire.Texts ?? [], StringComparer.Ordinal),
            BusinessUnitRefs = [.. (wire.BusinessUnitIds ?? []).Select(id => RefTo<BusinessUnit>(context, id)!)],
            Tags = wire.Tags ?? [],
        },
    };
}
