using Reconciler.Core.Resources;

namespace Reconciler.Core.Status;

/// <summary>The condition types every kind reports.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Synced = "Synced";
    public const string Drifted = "Drifted";
}

/// <summary>CamelCase reasons, as Kubernetes conventions ask for.</summary>
public static class ConditionReasons
{
    public const string ReconcileSuccess = "ReconcileSuccess";
    public const string ReconcileError = "ReconcileError";

    /// <summary>A plan guard refused the change (admins, sign-in, mass-change, orphans); the message names the override.</summary>
    public const string GuardRefused = "GuardRefused";
    public const string ReferenceNotFound = "ReferenceNotFound";
    public const string ValidationFailed = "ValidationFailed";
    public const string Paused = "Paused";
    public const string DriftDetected = "DriftDetected";
    public const string DriftCorrected = "DriftCorrected";
    public const string NoDrift = "NoDrift";
    public const string Deleting = "Deleting";
    public const string PlatformUnavailable = "PlatformUnavailable";
    public const string Unauthorized = "Unauthorized";
}

/// <summary>
/// Sets conditions the way crossplane-runtime does: a condition whose status, reason and message
/// are unchanged keeps its lastTransitionTime, so an unchanged reconcile yields an identical
/// status and writes nothing.
/// </summary>
public static class Conditions
{
    public static IReadOnlyList<Condition> Set(
        IReadOnlyList<Condition>? current,
        string type,
        bool status,
        string reason,
        string message,
        long? observedGeneration,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var statusText = status ? "True" : "False";
        var list = current ?? [];
        var existing = list.FirstOrDefault(c => c.Type == type);
        if (existing is not null
            && existing.Status == statusText
            && existing.Reason == reason
            && existing.Message == message
            && existing.ObservedGeneration == observedGeneration)
        {
            return list;
        }

        var transitioned = existing is null || existing.Status != statusText;
        var updated = new Condition
        {
            Type = type,
            Status = statusText,
            Reason = reason,
            Message = message,
            ObservedGeneration = observedGeneration,
            LastTransitionTime = transitioned ? time.GetUtcNow() : existing!.LastTransitionTime,
        };
        return [.. list.Where(c => c.Type != type).Append(updated).OrderBy(c => c.Type, StringComparer.Ordinal)];
    }

    public static Condition? Find(IReadOnlyList<Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IReadOnlyList<Condition>? conditions, string type) =>
        Find(conditions, type)?.Status == "True";
}
