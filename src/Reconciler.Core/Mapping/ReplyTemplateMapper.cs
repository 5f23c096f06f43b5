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
        Texts = InKeyOrder(resource.Spec.Texts),
        BusinessUnitIds = ResolveAll(resource, context, "spec.businessUnitRefs"),
        Tags = [.. resource.Spec.Tags],
    });

    /// <summary>
    /// The texts with their languages in ordinal order, as the body lists them. Sorting the keys, not the pairs: LINQ's
    /// ordering of key-value pairs is the framework's generic code over a struct, about thirty methods compiled at start.
    /// </summary>
    private static Dictionary<string, string> InKeyOrder(IReadOnlyDictionary<string, string> texts)
    {
        var languages = texts.Keys.ToArray();
        Array.Sort(languages, StringComparer.Ordinal);
        var ordered = new Dictionary<string, string>(languages.Length, StringComparer.Ordinal);
        foreach (var language in languages)
            ordered.Add(language, texts[language]);
        return ordered;
    }

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
