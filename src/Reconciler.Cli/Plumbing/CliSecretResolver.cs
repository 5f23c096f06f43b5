using System.Text;
using System.Text.Unicode;
using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// Secrets for the CLI: the environment variable <c>RECONCILER_SECRET_&lt;NAME&gt;_&lt;KEY&gt;</c> (upper-cased,
/// non-alphanumerics as '_'), else the file <c>&lt;secrets-dir&gt;/&lt;name&gt;/&lt;key&gt;</c> laid out like a mounted Secret.
/// A manifest must never make the CLI read a file outside the folder: name and key follow Kubernetes' rules, and the
/// file's real path (every symlink resolved, as a mounted Secret's <c>..data</c> links are) must lie inside it and be a
/// regular file of UTF-8 text.
/// </summary>
internal sealed class CliSecretResolver(Func<string, string?> environment, string? secretsDirectory) : ISecretResolver
{
    /// <summary>The most a secret file is read for: a device or a pipe in the folder must not be read until memory runs out.</summary>
    private const long MaxSecretBytes = 1024 * 1024;

    public static string VariableName(SecretKeyRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var text = new StringBuilder("RECONCILER_SECRET_");
        foreach (var c in $"{reference.Name}_{reference.Key}".ToUpperInvariant())
            text.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        return text.ToString();
    }

    public ValueTask<SecretLookup> ResolveAsync(SecretKeyRef reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return ValueTask.FromResult(Resolve(reference));
    }

    private SecretLookup Resolve(SecretKeyRef reference)
    {
        if (!reference.IsWellFormed())
            return SecretLookup.Missing($"secret reference {reference} is not a Kubernetes Secret name and key (name: a DNS-1123 subdomain; key: [-._a-zA-Z0-9]+, not '.' or '..')");
        var variable = VariableName(reference);
        if (environment(variable) is { Length: > 0 } value)
            return SecretLookup.Found(value);
        if (secretsDirectory is null)
            return SecretLookup.Missing($"secret {reference} not found: set {variable} or pass --secrets-dir with {reference.Name}/{reference.Key}");

        // A file given for the folder would otherwise be reported as a missing <file>/<name>/<key> to create.
        if (FileKinds.Of(secretsDirectory) is not (FileKind.Directory or FileKind.None) and var given)
            return SecretLookup.Missing($"secret {reference} not found: set {variable}, or give --secrets-dir a folder of <name>/<key> files ({secretsDirectory} is {FileKinds.Describe(given)})");

        var file = Path.Combine(secretsDirectory, reference.Name, reference.Key);
        var root = RealPaths.Resolve(secretsDirectory);
        var real = RealPaths.Resolve(file);
        if (root is null || real is null)
            return SecretLookup.Missing($"secret {reference}: {file} is a symlink loop");
        if (real == root || !RealPaths.IsInside(real, root))
            return SecretLookup.Missing($"secret {reference}: {file} leads outside --secrets-dir (to {real}); refused");
        // A folder where the value's file should be is said to be one (below), not "not found".
        if (FileKinds.Of(real) is FileKind.None)
            return SecretLookup.Missing($"secret {reference} not found: set {variable} or create {file}");

        // Opening a named pipe waits for a writer that may never come, and a device may not end.
        if (FileKinds.Of(real) is not FileKind.Regular and var kind)
            return SecretLookup.Missing($"secret {reference}: {file} is {FileKinds.Describe(kind)}, not a regular file; not read");
        var bytes = BoundedFile.ReadAllBytes(real, MaxSecretBytes);
        if (bytes is null)
            return SecretLookup.Missing($"secret {reference}: {file} holds more than {MaxSecretBytes / 1024} KiB; no secret the platform takes is that large");

        // Decoding would put U+FFFD where a byte is not UTF-8, and the platform would be sent another credential than the
        // file's. The message names no byte: it would be a piece of the secret.
        if (!Utf8.IsValid(bytes))
            return SecretLookup.Missing($"secret {reference}: {file} is not UTF-8 text; a secret file must hold its value as UTF-8");
        return SecretLookup.FromText(BoundedFile.Decode(bytes), $"secret {reference}: {file} is empty");
    }
}
