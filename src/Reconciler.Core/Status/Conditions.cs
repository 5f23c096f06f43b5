using System.Text.RegularExpressions;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Status;

/// <summary>The condition types every kind reports.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Synced = "Synced";
    public const string Drifted = "Drifted";

    /// <summary>kstatus's "working on it": present and True only while a retry is expected to help (abnormal-true).</summary>
    public const string Reconciling = "Reconciling";

    /// <summary>kstatus's "needs a person": present and True only while nothing but a change can help (abnormal-true).</summary>
    public const string Stalled = "Stalled";
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

    /// <summary>A PlatformConnection's platform answers and its token works.</summary>
    public const string Connected = "Connected";
}

/// <summary>
/// Sets conditions the way crossplane-runtime does: a condition whose status, reason and message
/// are unchanged keeps its lastTransitionTime, so an unchanged reconcile yields an identical
/// status and writes nothing. Reasons and messages are held to metav1.Condition's limits, which the CRDs
/// enforce: a status the API server would refuse is never written.
/// </summary>
public static partial class Conditions
{
    /// <summary>metav1.Condition's reason: a CamelCase word, also allowing underscores, commas and colons inside.</summary>
    public const string ReasonPattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

    public const int MaxReasonLength = 1024;

    public const int MaxMessageLength = 32768;

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
        if (!IsReason(reason))
            throw new ArgumentException($"'{reason}' is not a condition reason ({ReasonPattern}, at most {MaxReasonLength} characters); the API server would refuse the status.", nameof(reason));

        // Messages can carry the platform's text, whose length nothing bounds; capped before comparing, so an unchanged long message writes nothing.
        message = CapMessage(message);
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

    /// <summary>Whether the API server accepts <paramref name="text"/> as a condition's reason.</summary>
    public static bool IsReason(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // .NET's $ also matches before a final newline, which the API server's RE2 does not.
        return text.Length <= MaxReasonLength && !text.EndsWith('\n') && Reason().IsMatch(text);
    }

    /// <summary>At most <see cref="MaxMessageLength"/> UTF-16 units, which bounds the characters the API server counts; a surrogate pair is kept whole or dropped.</summary>
    public static string CapMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length <= MaxMessageLength)
            return message;
        var end = char.IsHighSurrogate(message[MaxMessageLength - 1]) ? MaxMessageLength - 1 : MaxMessageLength;
        return message[..end];
    }

    /// <summary>
    /// kstatus's abnormal-true pair, after Flux's controllers: a settled resource has neither condition, a failing one has
    /// exactly one. Never both, because kstatus takes the first True one in list order, and Reconciling sorts first.
    /// </summary>
    public static IReadOnlyList<Condition> SetProgress(
        IReadOnlyList<Condition>? current,
        ReconcileProgress progress,
        string reason,
        string message,
        long? observedGeneration,
        TimeProvider time) =>
        progress switch
        {
            ReconcileProgress.Reconciling => Set(Remove(current, ConditionTypes.Stalled), ConditionTypes.Reconciling, true, reason, message, observedGeneration, time),
            ReconcileProgress.Stalled => Set(Remove(current, ConditionTypes.Reconciling), ConditionTypes.Stalled, true, reason, message, observedGeneration, time),
            _ => Remove(Remove(current, ConditionTypes.Reconciling), ConditionTypes.Stalled),
        };

    /// <summary>The list without <paramref name="type"/>; the same list when it had none, so nothing is written.</summary>
    public static IReadOnlyList<Condition> Remove(IReadOnlyList<Condition>? current, string type)
    {
        var list = current ?? [];
        return list.Any(c => c.Type == type) ? [.. list.Where(c => c.Type != type)] : list;
    }

    public static Condition? Find(IReadOnlyList<Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IReadOnlyList<Condition>? conditions, string type) =>
        Find(conditions, type)?.Status == "True";

    [GeneratedRegex(ReasonPattern)]
    private static partial Regex Reason();
}
