using Reconciler.Platform.Catalog;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Validation;
using C = Reconciler.Platform.Contract.AdminApi.Collections;

namespace Reconciler.Platform.Resources;

/// <summary>Agents: keyed by lower-cased e-mail; presence, activation times and the invitation are server-maintained.</summary>
internal sealed class AgentHandler : ResourceHandler<AgentDto>
{
    public override string Collection => C.Agents;

    public override string IdPrefix => "agt";

    protected override string Key(AgentDto dto) => dto.Email.Trim().ToLowerInvariant();

    protected override IReadOnlyList<Violation> Rules(AgentDto dto) => WireRules.Check(dto);

    protected override void Validate(AgentDto dto, AgentDto? existing, ValidationErrors errors)
    {
        if (existing is not null && dto.SupervisorId == existing.Id)
        {
            errors.Add("supervisorId", "an agent cannot supervise themselves");
        }
    }

    protected override IEnumerable<Reference> References(AgentDto dto) =>
    [
        .. Ref("roleId", C.Roles, dto.RoleId),
        .. dto.BusinessUnitIds.SelectMany((id, i) => Ref($"businessUnitIds[{i}]", C.BusinessUnits, id)),
        .. Ref("supervisorId", C.Agents, dto.SupervisorId),
    ];

    protected override AgentDto Prepare(AgentDto incoming, AgentDto? existing, DateTimeOffset now)
    {
        var wasActive = existing?.Active ?? false;
        return incoming with
        {
            Email = incoming.Email.Trim(),
            Presence = existing?.Presence ?? "Offline",
            ActivatedAt = incoming.Active && !wasActive ? now : existing?.ActivatedAt,
            DeactivatedAt = !incoming.Active && (existing is null || wasActive) ? now : existing?.DeactivatedAt,
            Invitation = AgentInvitations.After(incoming, existing, now),
        };
    }
}

/// <summary>Roles: permissions must exist in the catalog; built-in roles are read-only.</summary>
internal sealed class RoleHandler : ResourceHandler<RoleDto>
{
    public override string Collection => C.Roles;

    public override string IdPrefix => "rol";

    protected override string Key(RoleDto dto) => dto.Name;

    protected override IReadOnlyList<Violation> Rules(RoleDto dto) => WireRules.Check(dto);

    protected override void Validate(RoleDto dto, RoleDto? existing, ValidationErrors errors)
    {
        foreach (var violation in WireRules.UnknownPermissions(dto.Permissions, PermissionCatalog.Names))
        {
            errors.Add(violation.Path, violation.Expected);
        }
    }

    protected override RoleDto Prepare(RoleDto incoming, RoleDto? existing, DateTimeOffset now) =>
        incoming with { BuiltIn = existing?.BuiltIn ?? false };

    protected override bool IsBuiltIn(RoleDto stored) => stored.BuiltIn;
}

/// <summary>Business units: optional office hours and routing.</summary>
internal sealed class BusinessUnitHandler : ResourceHandler<BusinessUnitDto>
{
    public override string Collection => C.BusinessUnits;

    public override string IdPrefix => "bu";

    protected override string Key(BusinessUnitDto dto) => dto.Name;

    protected override IReadOnlyList<Violation> Rules(BusinessUnitDto dto) => WireRules.Check(dto);

    protected override IEnumerable<Reference> References(BusinessUnitDto dto) => Ref("officeHoursId", C.OfficeHours, dto.OfficeHoursId);
}

/// <summary>Office hours: IANA time zone, HH:MM intervals that do not overlap within a day, holidays.</summary>
internal sealed class OfficeHoursHandler : ResourceHandler<OfficeHoursDto>
{
    public override string Collection => C.OfficeHours;

    public override string IdPrefix => "oh";

    protected override string Key(OfficeHoursDto dto) => dto.Name;

    protected override IReadOnlyList<Violation> Rules(OfficeHoursDto dto) => WireRules.Check(dto);
}

/// <summary>Tag groups: unique tag names, #RRGGBB colours.</summary>
internal sealed class TagGroupHandler : ResourceHandler<TagGroupDto>
{
    public override string Collection => C.TagGroups;

    public override string IdPrefix => "tg";

    protected override string Key(TagGroupDto dto) => dto.Name;

    protected override IReadOnlyList<Violation> Rules(TagGroupDto dto) => WireRules.Check(dto);
}

/// <summary>The organisation profile (singleton, key <c>organization</c>).</summary>
internal sealed class OrganizationHandler : ResourceHandler<OrganizationDto>
{
    public const string SingletonKey = "organization";
    public const string SingletonId = "org_organization";

    public override string Collection => C.Organization;

    public override string IdPrefix => "org";

    protected override string Key(OrganizationDto dto) => SingletonKey;

    protected override IReadOnlyList<Violation> Rules(OrganizationDto dto) => WireRules.Check(dto);

    protected override IEnumerable<Reference> References(OrganizationDto dto) =>
        Ref("defaultOfficeHoursId", C.OfficeHours, dto.DefaultOfficeHoursId);
}
