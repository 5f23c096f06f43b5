using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>The organisation profile: a singleton that is only ever updated.</summary>
public sealed class OrganizationMapper : KindMapper<Organization, OrganizationDto>
{
    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("displayName"),
        new("companyName"),
        new("timezone"),
        new("contact", ComparisonShape.Object) { Children = [new("email", ComparisonShape.CaseInsensitive), new("phone"), new("website")] },
        new("logoUrl"),
        new("defaultOfficeHoursId") { ReferenceKind = "OfficeHours" },
        new("chatTimeoutMinutes") { Default = 30 },
        new("settings", ComparisonShape.Object)
        {
            Children = [new("remoteControl") { Default = false }, new("sessionRecording") { Default = false }, new("redactionSelectors", ComparisonShape.Set)],
        },
    ];

    protected override DesiredObject Map(Organization resource, MappingContext context)
    {
        var spec = resource.Spec;
        var settings = spec.Settings ?? new OrganizationSettings();
        return Body(new OrganizationDto
        {
            DisplayName = spec.DisplayName,
            CompanyName = spec.CompanyName,
            Timezone = spec.Timezone,
            Contact = spec.Contact is { } contact ? new ContactDto { Email = contact.Email, Phone = contact.Phone, Website = contact.Website } : null,
            LogoUrl = spec.LogoUrl,
            DefaultOfficeHoursId = ResolveOne(resource, context, "spec.defaultOfficeHoursRef"),
            ChatTimeoutMinutes = spec.ChatTimeoutMinutes,
            Settings = new OrganizationSettingsDto
            {
                RemoteControl = settings.RemoteControl,
                SessionRecording = settings.SessionRecording,
                RedactionSelectors = [.. settings.RedactionSelectors ?? []],
            },
        });
    }

    protected override Organization Export(OrganizationDto wire, ExportContext context)
    {
        var selectors = wire.Settings?.RedactionSelectors ?? [];
        return new Organization
        {
            Metadata = Meta(OrganizationKind.SingletonKey),
            Spec = new OrganizationSpec
            {
                DisplayName = wire.DisplayName ?? "",
                CompanyName = wire.CompanyName,
                Timezone = wire.Timezone ?? "UTC",
                Contact = wire.Contact is not { } contact ? null : new OrganizationContact { Email = contact.Email, Phone = contact.Phone, Website = contact.Website },
                LogoUrl = wire.LogoUrl,
                DefaultOfficeHoursRef = RefTo<OfficeHours>(context, wire.DefaultOfficeHoursId),
                ChatTimeoutMinutes = wire.ChatTimeoutMinutes,
                Settings = wire.Settings is not { } settings ? null : new OrganizationSettings
                {
                    RemoteControl = settings.RemoteControl,
                    SessionRecording = settings.SessionRecording,
                    RedactionSelectors = selectors.Count == 0 ? null : selectors,
                },
            },
        };
    }
}
