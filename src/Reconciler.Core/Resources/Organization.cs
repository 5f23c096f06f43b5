using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>The organisation profile: one per platform connection.</summary>
[KubernetesKind("Organization", "organizations", ShortNames = ["org"])]
[PrinterColumn("DISPLAY-NAME", ".spec.displayName")]
[PrinterColumn("TIMEZONE", ".spec.timezone")]
[Description("The organisation profile and account settings of the platform (a singleton per connection).")]
public sealed record Organization : Resource<OrganizationSpec, ResourceStatus>;

[Description("Desired organisation profile and account settings.")]
public sealed record OrganizationSpec
{
    [Required]
    [MaxLength(200)]
    [Description("Name shown to agents and customers.")]
    public required string DisplayName { get; init; }

    [MaxLength(200)]
    [Description("Legal company name.")]
    public string? CompanyName { get; init; }

    [Required]
    [CrdString(Pattern = Patterns.TimeZone, MaxLength = 64)]
    [Description("IANA time zone of the organisation, e.g. Europe/Berlin.")]
    public required string Timezone { get; init; }

    [Description("How customers and the platform vendor reach the organisation.")]
    public OrganizationContact? Contact { get; init; }

    [Url]
    [Description("URL of the logo shown in the console and widgets.")]
    public string? LogoUrl { get; init; }

    [Description("OfficeHours that apply where a business unit names none.")]
    public ResourceRef? DefaultOfficeHoursRef { get; init; }

    [Range(1, 1440)]
    [Description("Minutes of customer inactivity after which a chat is closed.")]
    public int ChatTimeoutMinutes { get; init; } = 30;

    [Description("Account-wide session settings.")]
    public OrganizationSettings? Settings { get; init; }

    [Description("Delete leaves the organisation profile as it is on the platform either way; the profile cannot be deleted.")]
    public DeletionPolicy DeletionPolicy { get; init; } = DeletionPolicy.Orphan;
}

[Description("Contact details.")]
public sealed record OrganizationContact
{
    [EmailAddress]
    [Description("Contact e-mail address.")]
    public string? Email { get; init; }

    [CrdString(Pattern = Patterns.E164)]
    [Description("Contact phone in E.164 format, e.g. +4930123456.")]
    public string? Phone { get; init; }

    [Url]
    [Description("Public website.")]
    public string? Website { get; init; }
}

[Description("Account-wide session settings.")]
public sealed record OrganizationSettings
{
    [Description("Agents may request remote control of a customer's screen.")]
    public bool RemoteControl { get; init; }

    [Description("Sessions are recorded.")]
    public bool SessionRecording { get; init; }

    [Description("CSS selectors whose content is redacted from agents and recordings.")]
    public IReadOnlyList<string>? RedactionSelectors { get; init; }
}
