using Reconciler.Platform.Catalog;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Validation;
using C = Reconciler.Platform.Contract.AdminApi.Collections;

namespace Reconciler.Platform.Resources;

/// <summary>Reply templates: keyed by shortcut (so a shortcut is unique in the organisation); placeholders must be in the catalog.</summary>
internal sealed class ReplyTemplateHandler : ResourceHandler<ReplyTemplateDto>
{
    public override string Collection => C.ReplyTemplates;

    public override string IdPrefix => "rt";

    protected override string Key(ReplyTemplateDto dto) => dto.Shortcut;

    protected override IReadOnlyList<Violation> Rules(ReplyTemplateDto dto) => WireRules.Check(dto);

    protected override void Validate(ReplyTemplateDto dto, ReplyTemplateDto? existing, ValidationErrors errors)
    {
        foreach (var violation in ReplyTemplateRules.UnknownPlaceholders(dto.Texts, PlaceholderCatalog.Names))
            errors.Add(violation.Path, violation.Expected);
    }

    protected override IEnumerable<Reference> References(ReplyTemplateDto dto) =>
        dto.BusinessUnitIds.SelectMany((id, i) => Ref($"businessUnitIds[{i}]", C.BusinessUnits, id));
}
