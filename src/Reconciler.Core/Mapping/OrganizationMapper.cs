using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>
/// The organisation profile: a singleton that is only ever updated. The Firebase service-account key is write-only on
/// the platform, so it is never compared: its fingerprint label shows a rotation, which is pushed and named in the plan.
/// Helpdesk links and licences are the platform's, never sent.
/// </summary>
public sealed class OrganizationMapper : KindMapper<Organization, OrganizationDto>
{
    public const string ServiceAccountKeyField = "pushNotifications.serviceAccountKey";
    private const string ServiceAccountKeyPath = "spec.pushNotifications.serviceAccountKeySecretRef";

    /// <summary>The Secret an exported organisation points its service-account key at.</summary>
    public const string ExportedKeySecret = "firebase-push";

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
            Children =
            [
                new("remoteControl") { Default = false },
                new("sessionRecording") { Default = false },
                new("sessionRecordingRetentionDays"),
                new("redactionSelectors", ComparisonShape.Set),
            ],
        },
        new("pushNotifications", ComparisonShape.Object)
        {
            Children = [new("firebaseProjectId"), new("serviceAccountKey") { WriteOnly = true, ManifestName = "serviceAccountKeySecretRef" }],
        },
    ];

    protected override IEnumerable<SecretKeyRef> SecretReferences(Organization resource) =>
        resource.Spec.PushNotifications is { } push ? [push.ServiceAccountKeySecretRef] : [];

    protected override DesiredObject Map(Organization resource, MappingContext context)
    {
        var spec = resource.Spec;
        var settings = spec.Settings ?? new OrganizationSettings();
        var labels = new Dictionary<string, string>();
        string? key = null;
        if (spec.PushNotifications is { } push)
        {
            var secret = context.Secrets.Lookup(push.ServiceAccountKeySecretRef);
            if (secret.Value is null)
                throw new SecretNotFoundException(ServiceAccountKeyPath, secret.Error!);
            var label = Ownership.SecretFingerprintLabelOf(ServiceAccountKeyField);
            labels[label] = context.Secrets.Fingerprint(push.ServiceAccountKeySecretRef, secret.Value, context.ObservedLabels?.GetValueOrDefault(label));
            if (context.IncludeSecretValues)
                key = secret.Value;
        }

        var body = Body(new OrganizationDto
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
                SessionRecordingRetentionDays = settings.SessionRecordingRetentionDays,
                RedactionSelectors = [.. settings.RedactionSelectors ?? []],
            },
            PushNotifications = spec.PushNotifications is { } p ? new PushNotificationsDto { FirebaseProjectId = p.FirebaseProjectId, ServiceAccountKey = key } : null,
        });
        return labels.Count == 0
            ? body
            : body with { SecretLabels = labels, SecretFields = [ServiceAccountKeyField], FingerprintLabels = new Dictionary<string, string> { [ServiceAccountKeyField] = labels.Keys.Single() } };
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
                    SessionRecordingRetentionDays = settings.SessionRecordingRetentionDays,
                    RedactionSelectors = selectors.Count == 0 ? null : selectors,
                },

                // The platform never returns the key: export points at a Secret the user must provide.
                PushNotifications = wire.PushNotifications is not { } push ? null : new PushNotificationSettings
                {
                    FirebaseProjectId = push.FirebaseProjectId,
                    ServiceAccountKeySecretRef = new SecretKeyRef { Name = ExportedKeySecret, Key = "serviceAccountKey" },
                },
            },
        };
    }
}
