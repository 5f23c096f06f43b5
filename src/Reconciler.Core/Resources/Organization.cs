using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Resources;

/// <summary>The organisation profile: one per platform connection.</summary>
[KubernetesKind("Organization", "organizations", ShortNames = ["org"])]
[PrinterColumn("DISPLAY-NAME", ".spec.displayName")]
[PrinterColumn("TIMEZONE", ".spec.timezone")]
[PrinterColumn("SEATS-USED", ".status.licences.seatsUsed", "integer")]
[PrinterColumn("SEATS-BOUGHT", ".status.licences.seatsBought", "integer")]
[Description("The organisation profile and account settings of the platform (a singleton per connection).")]
public sealed record Organization : Resource<OrganizationSpec, OrganizationStatus>;

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

    [Description("Session requests over native push channels (Firebase Cloud Messaging); none turns push off.")]
    public PushNotificationSettings? PushNotifications { get; init; }

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
[CelRule("!has(self.sessionRecordingRetentionDays) || (has(self.sessionRecording) && self.sessionRecording)", "sessionRecordingRetentionDays is only allowed with sessionRecording: true", FieldPath = ".sessionRecordingRetentionDays")]
public sealed record OrganizationSettings
{
    [Description("Agents may request remote control of a customer's screen.")]
    public bool RemoteControl { get; init; }

    [Description("Sessions are recorded.")]
    public bool SessionRecording { get; init; }

    [Range(OrganizationRules.MinRetentionDays, OrganizationRules.MaxRetentionDays)]
    [Description("Days a session recording is kept (1-3650); only with sessionRecording on; none keeps the platform's default.")]
    public int? SessionRecordingRetentionDays { get; init; }

    [Description("CSS selectors whose content is redacted from agents and recordings.")]
    public IReadOnlyList<string>? RedactionSelectors { get; init; }
}

[Description("Push notification settings: the Firebase project that delivers session requests, and its service-account key.")]
public sealed record PushNotificationSettings
{
    [Required]
    [CrdString(Pattern = OrganizationRules.FirebaseProjectId)]
    [Description("Firebase project id: 6-30 lower-case letters, digits or '-', starting with a letter (e.g. acme-support-push).")]
    public required string FirebaseProjectId { get; init; }

    [Required]
    [SecretReference]
    [Description("Secret holding the Firebase service-account key (its JSON); write-only on the platform, never printed.")]
    public required SecretKeyRef ServiceAccountKeySecretRef { get; init; }
}

/// <summary>The organisation's status: the common conditions, a SeatsExceeded condition, and what the platform reports about the account.</summary>
[Description("Observed state of the organisation.")]
public sealed record OrganizationStatus : ResourceStatus
{
    [Description("Seats bought and seats used (active agents), as the platform reports them; absent when the account has no seat limit.")]
    public LicenceUsage? Licences { get; init; }

    [Description("The helpdesks the account is linked to (Intercom, Zendesk, Salesforce), as the platform reports them.")]
    public IReadOnlyList<HelpdeskLink>? HelpdeskLinks { get; init; }
}

[Description("Licence usage.")]
public sealed record LicenceUsage
{
    [Description("Seats used: the active agents.")]
    public int SeatsUsed { get; init; }

    [Description("Seats bought.")]
    public int SeatsBought { get; init; }
}

[Description("A helpdesk link.")]
public sealed record HelpdeskLink
{
    [Description("Intercom, Zendesk or Salesforce.")]
    public required string Provider { get; init; }

    [Description("Whether the account is linked to it.")]
    public bool Connected { get; init; }

    [Description("The linked account, workspace or instance.")]
    public string? Account { get; init; }

    [Description("When the link last changed.")]
    public DateTimeOffset? Since { get; init; }
}
