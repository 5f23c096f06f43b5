using Reconciler.Core.Mapping;

namespace Reconciler.Core.Resources;

/// <summary>Reply templates: keyed by their shortcut; reference the business units that may use them.</summary>
public static class ReplyTemplateKind
{
    public static readonly KindDescription<ReplyTemplate> Description = new()
    {
        Collection = "reply-templates",
        ApplyOrder = 9,
        ExportFileName = "reply-templates.yaml",
        KeyField = new("spec.shortcut", t => t.Spec.Shortcut),
        References = [ReferenceField<ReplyTemplate>.Many("spec.businessUnitRefs", "BusinessUnit", t => t.Spec.BusinessUnitRefs)],
        Mapper = new ReplyTemplateMapper(),
    };
}
