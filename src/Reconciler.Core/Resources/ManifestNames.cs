namespace Reconciler.Core.Resources;

/// <summary>Kubernetes-safe manifest names for platform keys that are not names (agent e-mails, names with capitals).</summary>
public static class ManifestNames
{
    public static string FromKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var local = key.Split('@')[0].ToLowerInvariant();
        var chars = local.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var name = new string(chars).Trim('-');
        while (name.Contains("--", StringComparison.Ordinal))
            name = name.Replace("--", "-", StringComparison.Ordinal);
        return name.Length == 0 ? "unnamed" : name;
    }
}
