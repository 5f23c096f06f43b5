using Reconciler.Platform.Catalog;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Validation;
using C = Reconciler.Platform.Contract.AdminApi.Collections;

namespace Reconciler.Platform.Resources;

/// <summary>Agents: keyed by lower-cased e-mail; presence and activation times are server-maintained.</summary>
internal sealed class AgentHandler : ResourceHandler<AgentDto>
{
    private static readonly string[] Levels = ["L1", "L2", "L3", "Expert"];
    private static readonly string[] CapabilityNames = ["Live", "Chat", "Search", "Reports", "Engagement"];

    public override string Collection => C.Agents;

    public override string IdPrefix => "agt";

    protected override string Key(AgentDto dto) => dto.Email.Trim().ToLowerInvariant();

    protected override void Validate(AgentDto dto, AgentDto? existing, ValidationErrors errors)
    {
        if (!FieldRules.IsEmail(dto.Email?.Trim()))
        {
            errors.Add("email", "must be a valid e-mail address");
        }

        FieldRules.RequireText(errors, "displayName", dto.DisplayName);
        if (dto.Mobile is not null && !FieldRules.IsE164(dto.Mobile))
        {
            errors.Add("mobile", "must be an E.164 phone number such as +5511987654321");
        }

        FieldRules.RequireText(errors, "roleId", dto.RoleId);
        FieldRules.OneOf(errors, "level", dto.Level, Levels);
        if (dto.MaxConcurrentChats is < 1 or > 100)
        {
            errors.Add("maxConcurrentChats", "must be between 1 and 100");
        }

        FieldRules.Distinct(errors, "businessUnitIds", dto.BusinessUnitIds);
        FieldRules.Distinct(errors, "languages", dto.Languages);
        FieldRules.Distinct(errors, "categories", dto.Categories);
        FieldRules.Distinct(errors, "capabilities", dto.Capabilities);
        for (var i = 0; i < dto.Capabilities.Count; i++)
        {
            if (!CapabilityNames.Contains(dto.Capabilities[i]))
            {
                errors.Add($"capabilities[{i}]", $"must be one of {string.Join(", ", CapabilityNames)}");
            }
        }

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
        };
    }
}

/// <summary>Roles: permissions must exist in the catalog; built-in roles are read-only.</summary>
internal sealed class RoleHandler : ResourceHandler<RoleDto>
{
    public override string Collection => C.Roles;

    public override string IdPrefix => "rol";

    protected override string Key(RoleDto dto) => dto.Name;

    protected override void Validate(RoleDto dto, RoleDto? existing, ValidationErrors errors)
    {
        Names.Check(errors, dto.Name);
        FieldRules.RequireText(errors, "displayName", dto.DisplayName);
        FieldRules.Distinct(errors, "permissions", dto.Permissions);
        for (var i = 0; i < dto.Permissions.Count; i++)
        {
            if (!PermissionCatalog.Names.Contains(dto.Permissions[i]))
            {
                errors.Add($"permissions[{i}]", $"unknown permission '{dto.Permissions[i]}' (see GET /api/v1/permissions)");
            }
        }
    }

    protected override RoleDto Prepare(RoleDto incoming, RoleDto? existing, DateTimeOffset now) =>
        incoming with { BuiltIn = existing?.BuiltIn ?? false };

    protected override bool IsBuiltIn(RoleDto stored) => stored.BuiltIn;
}

/// <summary>Business units: optional office hours and routing.</summary>
internal sealed class BusinessUnitHandler : ResourceHandler<BusinessUnitDto>
{
    private static readonly string[] Strategies = ["RoundRobin", "LeastBusy", "Manual"];

    public override string Collection => C.BusinessUnits;

    public override string IdPrefix => "bu";

    protected override string Key(BusinessUnitDto dto) => dto.Name;

    protected override void Validate(BusinessUnitDto dto, BusinessUnitDto? existing, ValidationErrors errors)
    {
        Names.Check(errors, dto.Name);
        FieldRules.RequireText(errors, "displayName", dto.DisplayName);
        if (dto.Routing is { } routing)
        {
            FieldRules.OneOf(errors, "routing.strategy", routing.Strategy, Strategies);
            if (routing.QueueLimit is < 0 or > 10_000)
            {
                errors.Add("routing.queueLimit", "must be between 0 and 10000");
            }
        }
    }

    protected override IEnumerable<Reference> References(BusinessUnitDto dto) => Ref("officeHoursId", C.OfficeHours, dto.OfficeHoursId);
}

/// <summary>Office hours: IANA time zone, HH:MM intervals that do not overlap within a day, holidays.</summary>
internal sealed class OfficeHoursHandler : ResourceHandler<OfficeHoursDto>
{
    public override string Collection => C.OfficeHours;

    public override string IdPrefix => "oh";

    protected override string Key(OfficeHoursDto dto) => dto.Name;

    protected override void Validate(OfficeHoursDto dto, OfficeHoursDto? existing, ValidationErrors errors)
    {
        Names.Check(errors, dto.Name);
        if (!FieldRules.IsIanaTimeZone(dto.Timezone))
        {
            errors.Add("timezone", "must be an IANA time zone such as Europe/Berlin");
        }

        var byDay = new Dictionary<string, List<(int Opens, int Closes, int Index)>>(StringComparer.Ordinal);
        for (var i = 0; i < dto.Weekly.Count; i++)
        {
            var interval = dto.Weekly[i];
            if (interval.Days.Count == 0)
            {
                errors.Add($"weekly[{i}].days", "must name at least one day");
            }

            var opens = FieldRules.ClockMinutes(interval.Opens);
            var closes = FieldRules.ClockMinutes(interval.Closes);
            if (opens is null)
            {
                errors.Add($"weekly[{i}].opens", "must be a time HH:MM");
            }

            if (closes is null)
            {
                errors.Add($"weekly[{i}].closes", "must be a time HH:MM");
            }

            if (opens is not null && closes is not null && opens >= closes)
            {
                errors.Add($"weekly[{i}].closes", "must be later than opens");
                continue;
            }

            for (var d = 0; d < interval.Days.Count; d++)
            {
                var day = interval.Days[d];
                if (!FieldRules.DayNames.Contains(day))
                {
                    errors.Add($"weekly[{i}].days[{d}]", "must be an English day name (Monday…Sunday)");
                    continue;
                }

                if (opens is null || closes is null)
                {
                    continue;
                }

                if (!byDay.TryGetValue(day, out var list))
                {
                    byDay[day] = list = [];
                }

                foreach (var other in list.Where(o => opens < o.Closes && o.Opens < closes))
                {
                    errors.Add($"weekly[{i}]", $"overlaps weekly[{other.Index}] on {day}");
                }

                list.Add((opens.Value, closes.Value, i));
            }
        }

        var dates = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < dto.Holidays.Count; i++)
        {
            var holiday = dto.Holidays[i];
            if (!FieldRules.IsDate(holiday.Date))
            {
                errors.Add($"holidays[{i}].date", "must be a date YYYY-MM-DD");
            }
            else if (!dates.Add(holiday.Date))
            {
                errors.Add($"holidays[{i}].date", "duplicate holiday date");
            }

            FieldRules.RequireText(errors, $"holidays[{i}].name", holiday.Name);
            if ((holiday.Opens is null) != (holiday.Closes is null))
            {
                errors.Add($"holidays[{i}]", "special hours need both opens and closes");
            }
            else if (holiday.Opens is not null)
            {
                var opens = FieldRules.ClockMinutes(holiday.Opens);
                var closes = FieldRules.ClockMinutes(holiday.Closes);
                if (opens is null || closes is null || opens >= closes)
                {
                    errors.Add($"holidays[{i}].closes", "special hours must be HH:MM with opens before closes");
                }
            }
        }
    }
}

/// <summary>Tag groups: unique tag names, #RRGGBB colours.</summary>
internal sealed class TagGroupHandler : ResourceHandler<TagGroupDto>
{
    private static readonly string[] Targets = ["Users", "Chats", "Both"];

    public override string Collection => C.TagGroups;

    public override string IdPrefix => "tg";

    protected override string Key(TagGroupDto dto) => dto.Name;

    protected override void Validate(TagGroupDto dto, TagGroupDto? existing, ValidationErrors errors)
    {
        Names.Check(errors, dto.Name);
        FieldRules.RequireText(errors, "displayName", dto.DisplayName);
        FieldRules.OneOf(errors, "appliesTo", dto.AppliesTo, Targets);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < dto.Tags.Count; i++)
        {
            var tag = dto.Tags[i];
            FieldRules.RequireText(errors, $"tags[{i}].name", tag.Name, 100);
            if (!string.IsNullOrWhiteSpace(tag.Name) && !seen.Add(tag.Name))
            {
                errors.Add($"tags[{i}].name", $"duplicate tag '{tag.Name}'");
            }

            if (tag.Color is not null && !FieldRules.IsColor(tag.Color))
            {
                errors.Add($"tags[{i}].color", "must be a colour #RRGGBB");
            }
        }
    }
}

/// <summary>The organisation profile (singleton, key <c>organization</c>).</summary>
internal sealed class OrganizationHandler : ResourceHandler<OrganizationDto>
{
    public const string SingletonKey = "organization";
    public const string SingletonId = "org_organization";

    public override string Collection => C.Organization;

    public override string IdPrefix => "org";

    protected override string Key(OrganizationDto dto) => SingletonKey;

    protected override void Validate(OrganizationDto dto, OrganizationDto? existing, ValidationErrors errors)
    {
        FieldRules.RequireText(errors, "displayName", dto.DisplayName);
        if (!FieldRules.IsIanaTimeZone(dto.Timezone))
        {
            errors.Add("timezone", "must be an IANA time zone such as Europe/Berlin");
        }

        if (dto.Contact?.Email is { } email && !FieldRules.IsEmail(email))
        {
            errors.Add("contact.email", "must be a valid e-mail address");
        }

        if (dto.Contact?.Phone is { } phone && !FieldRules.IsE164(phone))
        {
            errors.Add("contact.phone", "must be an E.164 phone number such as +4930123456");
        }

        if (dto.Contact?.Website is { } website && !FieldRules.IsAbsoluteHttpUrl(website))
        {
            errors.Add("contact.website", "must be an absolute http(s) URL");
        }

        if (dto.LogoUrl is not null && !FieldRules.IsAbsoluteHttpUrl(dto.LogoUrl))
        {
            errors.Add("logoUrl", "must be an absolute http(s) URL");
        }

        if (dto.ChatTimeoutMinutes is < 1 or > 1440)
        {
            errors.Add("chatTimeoutMinutes", "must be between 1 and 1440");
        }

        if (dto.Settings is { } settings)
        {
            FieldRules.Distinct(errors, "settings.redactionSelectors", settings.RedactionSelectors);
        }
    }

    protected override IEnumerable<Reference> References(OrganizationDto dto) =>
        Ref("defaultOfficeHoursId", C.OfficeHours, dto.DefaultOfficeHoursId);
}

internal static class Names
{
    public static void Check(ValidationErrors errors, string? name)
    {
        if (!FieldRules.IsName(name))
        {
            errors.Add("name", "must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit");
        }
    }
}
