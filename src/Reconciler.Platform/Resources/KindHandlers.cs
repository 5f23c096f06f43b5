using Microsoft.AspNetCore.Routing;
using Reconciler.Platform.Api;
using Reconciler.Platform.Catalog;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Validation;
using C = Reconciler.Platform.Contract.AdminApi.Collections;

namespace Reconciler.Platform.Resources;

/// <summary>Agents: keyed by lower-cased e-mail; presence, activation times and the invitation are server-maintained.</summary>
internal sealed class AgentHandler() : ResourceHandler<AgentDto>(C.Agents, "agt", dto => dto.Email.Trim().ToLowerInvariant(), WireRules.Check)
{
    public override void MapExtraRoutes(RouteGroupBuilder api) => AgentInvitationEndpoint.Map(api, this);

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
        .. Refs("businessUnitIds", C.BusinessUnits, dto.BusinessUnitIds),
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
internal sealed class RoleHandler() : ResourceHandler<RoleDto>(C.Roles, "rol", dto => dto.Name, WireRules.Check)
{
    protected override IReadOnlyList<Violation> CatalogRules(RoleDto dto) => WireRules.UnknownPermissions(dto.Permissions, PermissionCatalog.Names);

    protected override RoleDto Prepare(RoleDto incoming, RoleDto? existing, DateTimeOffset now) =>
        incoming with { BuiltIn = existing?.BuiltIn ?? false };

    protected override bool IsBuiltIn(RoleDto stored) => stored.BuiltIn;
}

/// <summary>Business units: optional office hours and routing.</summary>
internal sealed class BusinessUnitHandler() : ResourceHandler<BusinessUnitDto>(C.BusinessUnits, "bu", dto => dto.Name, WireRules.Check)
{
    protected override IEnumerable<Reference> References(BusinessUnitDto dto) => Ref("officeHoursId", C.OfficeHours, dto.OfficeHoursId);
}

/// <summary>Office hours: IANA time zone, HH:MM intervals that do not overlap within a day, holidays.</summary>
internal sealed class OfficeHoursHandler() : ResourceHandler<OfficeHoursDto>(C.OfficeHours, "oh", dto => dto.Name, WireRules.Check);

/// <summary>Tag groups: unique tag names, #RRGGBB colours.</summary>
internal sealed class TagGroupHandler() : ResourceHandler<TagGroupDto>(C.TagGroups, "tg", dto => dto.Name, WireRules.Check);


