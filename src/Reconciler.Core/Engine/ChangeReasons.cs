using Reconciler.Core.Platform;

namespace Reconciler.Core.Engine;

/// <summary>The text every write carries to the platform's audit trail: who (Reconciler), what (resource), from where (manifest, commit).</summary>
public static class ChangeReasons
{
    public const string Prefix = "reconciler:";

    public static bool IsOwn(string? reason) => reason is not null && reason.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// Reasons naming the manifest file and, when known, the git commit (<c>git 1a2b3c4</c>). The file is named relative
    /// to <paramref name="relativeTo"/> (the working directory), as plans name it, so that the audit trail names the file
    /// in the repository, not on the CI runner.
    /// </summary>
    public static Func<PlannedChange, ChangeReason> FromManifests(string? gitRevision, string? relativeTo = null) => change =>
    {
        var source = change.Source is { } span ? $" ({span.RelativeTo(relativeTo).File})" : "";
        var git = gitRevision is null ? "" : $" git {gitRevision}";
        return new ChangeReason($"{Prefix} {change.Action.ToString().ToLowerInvariant()} {change.Address}{source}{git}", Guid.NewGuid().ToString("N"));
    };
}
