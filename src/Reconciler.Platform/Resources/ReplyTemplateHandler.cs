using Reconciler.Platform.Catalog;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using C = Reconciler.Platform.Contract.AdminApi.Collections;

namespace Reconciler.Platform.Resources;

/// <summary>Reply templates: keyed by shortcut (so a shortcut is unique in the organisation); placeholders must be in the catalog.</summary>
internal sealed class ReplyTemplateHandler() : ResourceHandler<ReplyTemplateDto>(C.ReplyTemplates, "rt", dto => dto.Shortcut, WireRules.Check)
{
    protected override IReadOnlyList<Violation> CatalogRules(ReplyTemplateDto dto) => ReplyTemplateRules.UnknownPlaceholders(dto.Texts, PlaceholderCatalog.Names);

    protected override IEnumerable<Reference> References(ReplyTemplateDto dto) => Refs("businessUnitIds", C.BusinessUnits, dto.BusinessUnitIds);
}
