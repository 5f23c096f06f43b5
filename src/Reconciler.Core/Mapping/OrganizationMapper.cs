using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>The organisation profile: a singleton that is only ever updated.</summary>
public sealed class OrganizationMapper : KindMapper<Organization>
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
        var hours = References(resource).FirstOrDefault();
        var settings = spec.Settings ?? new OrganizationSettings();
        return Plain(new JsonObject
        {
            ["displayName"] = spec.DisplayName,
            ["companyName"] = spec.CompanyName,
            ["timezone"] = spec.Timezone,
            ["contact"] = spec.Contact is { } contact
                ? new JsonObject { ["email"] = contact.Email, ["phone"] = contact.Phone, ["website"] = contact.Website }
                : null,
            ["logoUrl"] = spec.LogoUrl,
            ["defaultOfficeHoursId"] = hours is null ? null : Resolve(context, hours),
            ["chatTimeoutMinutes"] = spec.ChatTimeoutMinutes,
            ["settings"] = new JsonObject
            {
                ["remoteControl"] = settings.RemoteControl,
                ["sessionRecording"] = settings.SessionRecording,
                ["redactionSelectors"] = Strings(settings.RedactionSelectors ?? []),
            },
        });
    }

    public override Organization Export(PlatformObject platformObject, ExportContext context)
    {
        var f = platformObject.Fields;
        var contact = f["contact"] as JsonObject;
        var settings = f["settings"] as JsonObject;
        var hoursId = ReadString(f["defaultOfficeHoursId"]);
        var selectors = ReadStrings(settings?["redactionSelectors"]);
        return new Organization
        {
            Metadata = Meta(OrganizationKind.SingletonKey),
            Spec = new OrganizationSpec
            {
                DisplayName = ReadString(f["displayName"]) ?? "",
                CompanyName = ReadString(f["companyName"]),
                Timezone = ReadString(f["timezone"]) ?? "UTC",
                Contact = contact is null ? null : new OrganizationContact
                {
                    Email = ReadString(contact["email"]),
                    Phone = ReadString(contact["phone"]),
                    Website = ReadString(contact["website"]),
                },
                LogoUrl = ReadString(f["logoUrl"]),
                DefaultOfficeHoursRef = hoursId is null ? null : ResourceRef.FromString(context.NameOf("office-hours", hoursId) ?? hoursId),
                ChatTimeoutMinutes = f["chatTimeoutMinutes"]?.GetValue<int>() ?? 30,
                Settings = settings is null ? null : new OrganizationSettings
                {
                    RemoteControl = settings["remoteControl"]?.GetValue<bool>() ?? false,
                    SessionRecording = settings["sessionRecording"]?.GetValue<bool>() ?? false,
                    RedactionSelectors = selectors.Count == 0 ? null : selectors,
                },
            },
        };
    }
}
