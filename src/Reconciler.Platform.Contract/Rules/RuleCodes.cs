namespace Reconciler.Platform.Contract.Rules;

/// <summary>Stable codes of the wire rules; <c>reconciler validate</c> reports them as its diagnostic codes.</summary>
public static class RuleCodes
{
    public const string Required = "missing-required";
    public const string Length = "length";
    public const string ControlCharacter = "control-character";
    public const string Name = "name";
    public const string OneOf = "enum-value";
    public const string Range = "out-of-range";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Url = "url";
    public const string Domain = "domain";
    public const string TimeZone = "time-zone";
    public const string Clock = "pattern";
    public const string Colour = "pattern";
    public const string Date = "invalid-date";
    public const string IntervalOrder = "interval-order";
    public const string IntervalOverlap = "interval-overlap";
    public const string DuplicateDay = "duplicate-day";
    public const string DuplicateHoliday = "duplicate-holiday";
    public const string HolidayHours = "holiday-hours";
    public const string DuplicateItem = "duplicate-item";
    public const string EmptyItem = "empty-item";
    public const string SsoFields = "sso-fields";
    public const string SsoEnforced = "sso-enforced";
    public const string PublicKey = "public-key";
    public const string Certificate = "certificate";
    public const string PrivateKey = "private-key";
    public const string ChannelFields = "channel-fields";
    public const string AccountId = "account-id";
    public const string TelegramUsername = "telegram-username";
    public const string LanguageTag = "language-tag";
    public const string PermissionName = "permission-name";
    public const string UnknownPermission = "unknown-permission";
    public const string Shortcut = "shortcut";
    public const string Placeholder = "placeholder";
    public const string UnknownPlaceholder = "unknown-placeholder";
    public const string FirebaseProjectId = "firebase-project-id";
    public const string RetentionWithoutRecording = "retention-without-recording";
    public const string ReadOnly = "read-only";
    public const string LabelKey = "label-key";
    public const string LabelValue = "label-value";
}
