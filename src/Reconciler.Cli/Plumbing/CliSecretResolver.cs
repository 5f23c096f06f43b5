using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// Secrets for the CLI: the environment variable <c>RECONCILER_SECRET_&lt;NAME&gt;_&lt;KEY&gt;</c> (upper-cased,
/// non-alphanumerics as '_'), else the file <c>&lt;secrets-dir&gt;/&lt;name&gt;/&lt;key&gt;</c> laid out like a mounted Secret.
/// A manifest must never make the CLI read a file outside the folder: name and key follow Kubernetes' rules, and the
/// file's real path (every symlink resolved, as a mounted Secret's <c>..data</c> links are) must lie inside it.
/// </summary>
internal sealed class CliSecretResolver(Func<string, string?> environment, string? secretsDirectory) : ISecretResolver
{
    /// <summary>Linux's own limit on symlinks followed while resolving one path (ELOOP).</summary>
    private const int MaxLinks = 40;

    public static string VariableName(SecretKeyRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var text = new StringBuilder("RECONCILER_SECRET_");
        foreach (var c in $"{reference.Name}_{reference.Key}".ToUpperInvariant())
            text.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        return text.ToString();
    }

    public async ValueTask<SecretLookup> ResolveAsync(SecretKeyRef reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!reference.IsWellFormed())
            return SecretLookup.Missing($"secret reference {reference} is not a Kubernetes Secret name and key (name: a DNS-1123 subdomain; key: [-._a-zA-Z0-9]+, not '.' or '..')");
        var variable = VariableName(reference);
        if (environment(variable) is { Length: > 0 } value)
            return SecretLookup.Found(value);
        if (secretsDirectory is null)
            return SecretLookup.Missing($"secret {reference} not found: set {variable} or pass --secrets-dir with {reference.Name}/{reference.Key}");

        var file = Path.Combine(secretsDirectory, reference.Name, reference.Key);
        var root = RealPath(secretsDirectory);
        var real = RealPath(file);
        if (root is null || real is null)
            return SecretLookup.Missing($"secret {reference}: {file} is a symlink loop");
        if (!real.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return SecretLookup.Missing($"secret {reference}: {file} leads outside --secrets-dir (to {real}); refused");
        if (!File.Exists(real))
            return SecretLookup.Missing($"secret {reference} not found: set {variable} or create {file}");
        return SecretLookup.Found((await File.ReadAllTextAsync(real, cancellationToken)).TrimEnd('\r', '\n'));
    }

    /// <summary>The path with every symlink resolved, component by component (realpath(3)); null on a link loop.</summary>
    internal static string? RealPath(string path)
    {
        var links = 0;
        return RealPath(Path.GetFullPath(path), ref links);
    }

    private static string? RealPath(string full, ref int links)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                    return null;
                var resolved = RealPath(Path.GetFullPath(target, current), ref links);
                if (resolved is null)
                    return null;
                next = resolved;
            }

            current = next;
        }

        return current;
    }
}
