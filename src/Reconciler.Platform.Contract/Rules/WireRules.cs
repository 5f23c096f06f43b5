namespace Reconciler.Platform.Contract.Rules;

/// <summary>
/// The one set of rules a request body must satisfy, per collection: the reference platform answers 422 with these
/// violations, <c>reconciler validate</c> reports them at the manifest position of the field, and the planner refuses
/// to plan a body that breaks them. What depends on stored state (references, the stored secret, the permission
/// catalog) is checked where that state is known.
/// </summary>
public static class WireRules
{
    public const int DisplayNameMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int MinConcurrentChats = 1;
    public const int MaxConcurrentChats = 50;
    public const int MaxQueueLimit = 10_000;
    public const int MinChatTimeoutMinutes = 1;
    public const int MaxChatTimeoutMinutes = 1440;
    public const int KeyMaterialMaxLength = 20_000;
    public const int RedactionSelectorMaxLength = 1000;

    public static readonly IReadOnlyList<string> Levels = ["L1", "L2", "L3", "Expert"];
    public static readonly IReadOnlyList<string> Capabilities = ["Live", "Chat", "Search", "Reports", "Engagement"];
    public static readonly IReadOnlyList<string> RoutingStrategies = ["RoundRobin", "LeastBusy", "Manual"];
    public static readonly IReadOnlyList<string> TagTargets = ["Users", "Chats", "Both"];
    public static readonly IReadOnlyList<string> SsoTypes = ["Google", "Microsoft", "Okta", "Saml", "Jwt"];
    public static readonly IReadOnlyList<string> OidcTypes = ["Google", "Microsoft", "Okta"];
    public static readonly IReadOnlyList<string> ChannelTypes = ["WebChat", "WhatsApp", "Facebook", "Instagram", "Email", "Telegram", "Twitter", "Line", "LiveChat", "CrmConnector"];
    public static readonly IReadOnlyList<string> WidgetStatuses = ["Active", "Inactive"];
    public static readonly IReadOnlyList<string> ConnectionStates = ["Connected", "Disconnected", "Error"];

    private static readonly string NameExpected =
        $"a name of 1-{WireFormats.NameMaxLength} lower-case letters, digits or '-', starting and ending with a letter or digit (no dots)";

    /// <summary>
    /// The violations of a request body, as the DTO the platform reads it into. With the platform's
    /// <paramref name="permissionCatalog"/>, a role's permissions it does not have are violations too; with its
    /// <paramref name="placeholderCatalog"/>, so are a reply template's placeholders it does not have.
    /// </summary>
    public static IReadOnlyList<Violation> Check(WireObject dto, IReadOnlySet<string>? permissionCatalog = null, IReadOnlySet<string>? placeholderCatalog = null) => dto switch
    {
        AgentDto agent => Check(agent),
        RoleDto role when permissionCatalog is not null => [.. Check(role), .. UnknownPermissions(role.Permissions, permissionCatalog)],
        RoleDto role => Check(role),
        BusinessUnitDto unit => Check(unit),
        OfficeHoursDto hours => Check(hours),
        TagGroupDto group => Check(group),
        SsoProviderDto provider => Check(provider),
        OrganizationDto organization => Check(organization),
        ChannelDto channel => Check(channel),
        ReplyTemplateDto template when placeholderCatalog is not null => [.. Check(template), .. ReplyTemplateRules.UnknownPlaceholders(template.Texts, placeholderCatalog)],
        ReplyTemplateDto template => Check(template),
        null => throw new ArgumentNullException(nameof(dto)),
        _ => throw new ArgumentOutOfRangeException(nameof(dto), dto.GetType().Name, "Not a DTO with wire rules."),
    };

    /// <summary>Permissions of a role that the platform's catalog does not have.</summary>
    public static IReadOnlyList<Violation> UnknownPermissions(IReadOnlyList<string> permissions, IReadOnlySet<string> catalog)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        ArgumentNullException.ThrowIfNull(catalog);
        return [.. permissions
            .Select((name, i) => (name, i))
            .Where(p => WireFormats.IsPermissionName(p.name) && !catalog.Contains(p.name))
            .Select(p => new Violation($"permissions[{p.i}]", RuleCodes.UnknownPermission, $"unknown permission '{Excerpt.Of(p.name)}' (see GET /api/v1/permissions)"))];
    }

    public static IReadOnlyList<Violation> Check(AgentDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = Common(dto);
        sink.Format("email", dto.Email, WireFormats.IsEmail, RuleCodes.Email, "an e-mail address (e.g. maria@acme.example)", required: true);
        sink.Text("displayName", dto.DisplayName, DisplayNameMaxLength, required: true);
        sink.Format("mobile", dto.Mobile, WireFormats.IsE164, RuleCodes.Phone, "an E.164 phone number (e.g. +5511987654321)");
        sink.Text("roleId", dto.RoleId, 200, required: true);
        sink.OneOf("level", dto.Level, Levels);
        sink.Range("maxConcurrentChats", dto.MaxConcurrentChats, MinConcurrentChats, MaxConcurrentChats);
        sink.Set("businessUnitIds", dto.BusinessUnitIds, 100, StringComparer.Ordinal);
        sink.Set("languages", dto.Languages, 100, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < dto.Languages.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(dto.Languages[i]))
                sink.Format(new("languages", i), dto.Languages[i], LanguageTags.IsWellFormed, RuleCodes.LanguageTag, "a BCP-47 language tag (e.g. en, pt-BR, zh-Hant-TW)");
        }

        sink.Set("categories", dto.Categories, 100, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < dto.Categories.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(dto.Categories[i]))
                sink.Text(new("categories", i), dto.Categories[i], 100, required: false);
        }
        sink.Set("capabilities", dto.Capabilities, Capabilities.Count, StringComparer.Ordinal);
        for (var i = 0; i < dto.Capabilities.Count; i++)
            sink.OneOf(new("capabilities", i), dto.Capabilities[i], Capabilities);
        return sink.Violations;
    }

    public static IReadOnlyList<Violation> Check(RoleDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = Named(dto, dto.Name);
        sink.Text("displayName", dto.DisplayName, DisplayNameMaxLength, required: true);
        sink.Text("description", dto.Description, DescriptionMaxLength, required: false);
        sink.Set("permissions", dto.Permissions, 500, StringComparer.Ordinal);
        for (var i = 0; i < dto.Permissions.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(dto.Permissions[i]))
                sink.Format(new("permissions", i), dto.Permissions[i], WireFormats.IsPermissionName, RuleCodes.PermissionName, "a permission name: lowercase words separated by dots (e.g. agents.read)");
        }

        return sink.Violations;
    }

    public static IReadOnlyList<Violation> Check(BusinessUnitDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = Named(dto, dto.Name);
        sink.Text("displayName", dto.DisplayName, DisplayNameMaxLength, required: true);
        sink.Text("description", dto.Description, DescriptionMaxLength, required: false);
        if (dto.Routing is { } routing)
        {
            sink.OneOf("routing.strategy", routing.Strategy, RoutingStrategies);
            sink.Range("routing.queueLimit", routing.QueueLimit, 0, MaxQueueLimit);
            sink.Text("routing.chatbotId", routing.ChatbotId, 200, required: false);
        }

        return sink.Violations;
    }

    public static IReadOnlyList<Violation> Check(OfficeHoursDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = Named(dto, dto.Name);
        sink.Text("displayName", dto.DisplayName, DisplayNameMaxLength, required: false);
        sink.Format("timezone", dto.Timezone, WireFormats.IsIanaTimeZone, RuleCodes.TimeZone, "an IANA time zone (e.g. Europe/Berlin, America/Sao_Paulo, UTC)", required: true);
        OfficeHoursRules.Weekly(sink, dto.Weekly);
        OfficeHoursRules.Holidays(sink, dto.Holidays);
        return sink.Violations;
    }

    public static IReadOnlyList<Violation> Check(TagGroupDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = Named(dto, dto.Name);
        sink.Text("displayName", dto.DisplayName, DisplayNameMaxLength, required: true);
        sink.OneOf("appliesTo", dto.AppliesTo, TagTargets);
        if (dto.Tags.Count > 100)
            sink.Add("tags", RuleCodes.Length, "must have at most 100 items");
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < dto.Tags.Count; i++)
        {
            var tag = dto.Tags[i];
            sink.Text(new("tags", i, "name"), tag.Name, 100, required: true);
            if (!string.IsNullOrWhiteSpace(tag.Name) && !seen.TryAdd(tag.Name, i))
                sink.Add($"tags[{i}].name", RuleCodes.DuplicateItem, $"duplicate tag '{Excerpt.Of(tag.Name)}' (already at tags[{seen[tag.Name]}].name; names are compared ignoring case)");
            sink.Format(new("tags", i, "color"), tag.Color, WireFormats.IsColor, RuleCodes.Colour, "a colour #RRGGBB");
            sink.Text(new("tags", i, "description"), tag.Description, 500, required: false);
        }

        return sink.Violations;
    }

    public static IReadOnlyList<Violation> Check(SsoProviderDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = Named(dto, dto.Name);
        SsoRules.Check(sink, dto);
        return sink.Violations;
    }

    public static IReadOnlyList<Violation> Check(ChannelDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = Named(dto, dto.Name);
        ChannelRules.Check(sink, dto);
        return sink.Violations;
    }

    /// <summary>The violations of a connection state report (<c>PUT /channels/{id}/connection</c>).</summary>
    public static IReadOnlyList<Violation> Check(ChannelConnectionDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = new RuleSink();
        ChannelRules.Connection(sink, dto);
        return sink.Violations;
    }

    public static IReadOnlyList<Violation> Check(OrganizationDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = Common(dto);
        sink.Text("displayName", dto.DisplayName, DisplayNameMaxLength, required: true);
        sink.Text("companyName", dto.CompanyName, DisplayNameMaxLength, required: false);
        sink.Format("timezone", dto.Timezone, WireFormats.IsIanaTimeZone, RuleCodes.TimeZone, "an IANA time zone (e.g. Europe/Berlin, America/Sao_Paulo, UTC)", required: true);
        sink.Format("contact.email", dto.Contact?.Email, WireFormats.IsEmail, RuleCodes.Email, "an e-mail address (e.g. maria@acme.example)");
        sink.Format("contact.phone", dto.Contact?.Phone, WireFormats.IsE164, RuleCodes.Phone, "an E.164 phone number (e.g. +4930123456)");
        sink.Format("contact.website", dto.Contact?.Website, WireFormats.IsHttpUrl, RuleCodes.Url, "an absolute http(s) URL");
        sink.Format("logoUrl", dto.LogoUrl, WireFormats.IsHttpUrl, RuleCodes.Url, "an absolute http(s) URL");
        sink.Range("chatTimeoutMinutes", dto.ChatTimeoutMinutes, MinChatTimeoutMinutes, MaxChatTimeoutMinutes);
        sink.Set("settings.redactionSelectors", dto.Settings?.RedactionSelectors, 100, StringComparer.Ordinal);
        var selectors = dto.Settings?.RedactionSelectors ?? [];
        for (var i = 0; i < selectors.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(selectors[i]))
                sink.Text(new("settings.redactionSelectors", i), selectors[i], RedactionSelectorMaxLength, required: false);
        }

        OrganizationRules.Check(sink, dto);
        return sink.Violations;
    }

    public static IReadOnlyList<Violation> Check(HelpdeskLinkDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = new RuleSink();
        OrganizationRules.Check(sink, dto);
        return sink.Violations;
    }

    public static IReadOnlyList<Violation> Check(LicencesDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = new RuleSink();
        OrganizationRules.Check(sink, dto);
        return sink.Violations;
    }

    public static IReadOnlyList<Violation> Check(ReplyTemplateDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var sink = Common(dto);
        ReplyTemplateRules.Check(sink, dto);
        return sink.Violations;
    }

    private static RuleSink Common(WireObject dto)
    {
        var sink = new RuleSink();
        sink.Labels(dto.Labels);
        return sink;
    }

    private static RuleSink Named(WireObject dto, string? name)
    {
        var sink = Common(dto);
        sink.Format("name", name, WireFormats.IsName, RuleCodes.Name, NameExpected, required: true);
        return sink;
    }
}
