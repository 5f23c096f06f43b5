namespace Reconciler.Platform.Contract;

/// <summary>Paths, headers and well-known values of the Admin API (see docs/platform-api.md).</summary>
public static class AdminApi
{
    public const string BasePath = "/api/v1";

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Set to "true" on a create answered from its idempotency record rather than by creating.</summary>
    public const string IdempotentReplayedHeader = "Idempotent-Replayed";

    public const string ChangeReasonHeader = "X-Change-Reason";
    public const string RequestIdHeader = "X-Request-Id";

    public const string ReadScope = "admin:read";
    public const string WriteScope = "admin:write";

    public const int MaxPageSize = 1000;

    /// <summary>Collections in the order their objects may reference each other.</summary>
    public static class Collections
    {
        public const string OfficeHours = "office-hours";
        public const string Roles = "roles";
        public const string TagGroups = "tag-groups";
        public const string SsoProviders = "sso-providers";
        public const string BusinessUnits = "business-units";
        public const string Agents = "agents";
        public const string Channels = "channels";
        public const string ReplyTemplates = "reply-templates";
        public const string Organization = "organization";
        public const string Permissions = "permissions";
        public const string Placeholders = "placeholders";
        public const string AuditEvents = "audit-events";

        public static readonly IReadOnlyList<string> Mutable = [OfficeHours, Roles, TagGroups, SsoProviders, BusinessUnits, Agents, Channels, ReplyTemplates];

        /// <summary>Collections of one object that always exists and is only read and replaced (<c>GET</c>/<c>PUT</c> without an id).</summary>
        public static readonly IReadOnlyList<string> Singletons = [Organization];
    }
}
