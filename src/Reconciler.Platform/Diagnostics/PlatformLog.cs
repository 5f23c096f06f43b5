using Microsoft.Extensions.Logging;

namespace Reconciler.Platform.Diagnostics;

/// <summary>Source-generated log messages; none of them carries a token or a secret.</summary>
internal static partial class PlatformLog
{
    [LoggerMessage(1, LogLevel.Information, "Applied schema migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(2, LogLevel.Information, "Platform listening on {Urls} with {Provider} storage")]
    public static partial void Started(ILogger logger, string urls, DatabaseProvider provider);

    [LoggerMessage(3, LogLevel.Information, "Seeded built-in role {Role}")]
    public static partial void SeededRole(ILogger logger, string role);

    [LoggerMessage(4, LogLevel.Information, "{Actor} {Action} {Collection}/{ObjectId} ({Key}) version {Version}")]
    public static partial void Mutated(ILogger logger, string actor, string action, string collection, string objectId, string key, long version);

    [LoggerMessage(5, LogLevel.Warning, "Rejected request {Method} {Path}: {Reason}")]
    public static partial void AuthRejected(ILogger logger, string method, string path, string reason);

    [LoggerMessage(6, LogLevel.Information, "Rate limited principal {Principal}")]
    public static partial void RateLimited(ILogger logger, string principal);

    [LoggerMessage(7, LogLevel.Information, "Injected fault {Fault} on {Method} {Path}")]
    public static partial void FaultInjected(ILogger logger, string fault, string method, string path);

    [LoggerMessage(8, LogLevel.Warning, "No tokens configured: generated a local admin token (principal {Principal})")]
    public static partial void GeneratedToken(ILogger logger, string principal);

    [LoggerMessage(9, LogLevel.Error, "Unhandled error on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(10, LogLevel.Warning, "Database busy on {Method} {Path}, answered 503: {Reason}")]
    public static partial void DatabaseBusy(ILogger logger, string method, string path, string reason);
}
