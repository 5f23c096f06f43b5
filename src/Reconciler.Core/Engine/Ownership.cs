namespace Reconciler.Core.Engine;

/// <summary>Labels that mark platform objects as Reconciler's and say where they come from.</summary>
public static class Ownership
{
    public const string Prefix = "reconciler.dev/";
    public const string ManagedByLabel = Prefix + "managed-by";
    public const string ManagedByValue = "reconciler";
    public const string SourceLabel = Prefix + "source";
    public const string SecretFingerprintLabel = Prefix + "secret-fingerprint";

    /// <summary>The fingerprint label of one of several secrets of an object (<c>reconciler.dev/secret-fingerprint.telegram.token</c>).</summary>
    public static string SecretFingerprintLabelOf(string secretField) => SecretFingerprintLabel + "." + secretField;

    public static bool IsMarked(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(ManagedByLabel, out var value) && value == ManagedByValue;

    /// <summary>The label value naming a resource (<c>Agent.alice</c>); label values avoid '/'.</summary>
    public static string SourceValue(Resources.ResourceId id) => $"{id.Kind}.{id.Name}";
}
