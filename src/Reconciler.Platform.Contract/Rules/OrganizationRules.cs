using System.Text.RegularExpressions;

namespace Reconciler.Platform.Contract.Rules;

/// <summary>
/// The organisation's account settings beyond its profile: push notifications (a Firebase project id; whether a
/// service-account key is stored is judged against the stored organisation, so the platform checks that itself), the
/// session-recording retention (only with session recording on), and the facts the platform maintains and reports
/// (helpdesk links, licences).
/// </summary>
public static partial class OrganizationRules
{
    public const int MinRetentionDays = 1;
    public const int MaxRetentionDays = 3650;
    public const int MaxSeats = 1_000_000;

    /// <summary>A Firebase (Google Cloud) project id: 6-30 lower-case letters, digits or '-', starting with a letter, not ending with '-'.</summary>
    public const string FirebaseProjectId = "^[a-z][a-z0-9-]{4,28}[a-z0-9]$";

    public static readonly IReadOnlyList<string> HelpdeskProviders = ["Intercom", "Zendesk", "Salesforce"];

    public static bool IsFirebaseProjectId(string? value) => WireFormats.Whole(FirebaseProjectIdRegex(), value);

    internal static void Check(RuleSink sink, OrganizationDto dto)
    {
        if (dto.Settings?.SessionRecordingRetentionDays is int days)
        {
            sink.Range("settings.sessionRecordingRetentionDays", days, MinRetentionDays, MaxRetentionDays);
            if (!dto.Settings.SessionRecording)
                sink.Add("settings.sessionRecordingRetentionDays", RuleCodes.RetentionWithoutRecording, "is only allowed with settings.sessionRecording: true (nothing is recorded to keep)");
        }

        if (dto.PushNotifications is { } push)
        {
            sink.Format("pushNotifications.firebaseProjectId", push.FirebaseProjectId, IsFirebaseProjectId, RuleCodes.FirebaseProjectId,
                "a Firebase project id: 6-30 lower-case letters, digits or '-', starting with a letter (e.g. acme-support-push)", required: true);
            sink.Text("pushNotifications.serviceAccountKey", push.ServiceAccountKey, WireRules.KeyMaterialMaxLength, required: false);
        }
    }

    /// <summary>A helpdesk link as the platform (its integration with the helpdesk) reports it.</summary>
    internal static void Check(RuleSink sink, HelpdeskLinkDto dto)
    {
        sink.OneOf("provider", dto.Provider, HelpdeskProviders);
        sink.Text("account", dto.Account, WireRules.DisplayNameMaxLength, required: dto.Connected);
    }

    /// <summary>The seats billing sold the account; seats used are counted by the platform, never set.</summary>
    internal static void Check(RuleSink sink, LicencesDto dto)
    {
        sink.Range("seatsBought", dto.SeatsBought, 0, MaxSeats);
        if (dto.SeatsUsed != 0)
            sink.Add("seatsUsed", RuleCodes.ReadOnly, "is counted by the platform (active agents) and cannot be set");
    }

    [GeneratedRegex(FirebaseProjectId, RegexOptions.CultureInvariant)]
    private static partial Regex FirebaseProjectIdRegex();
}
