using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Engine;

/// <summary>
/// Secrets for the CLI: the environment variable <c>RECONCILER_SECRET_&lt;NAME&gt;_&lt;KEY&gt;</c> (upper-cased,
/// non-alphanumerics as '_'), else the file <c>&lt;secrets-dir&gt;/&lt;name&gt;/&lt;key&gt;</c> laid out like a mounted Secret.
/// </summary>
internal sealed class CliSecretResolver(Func<string, string?> environment, string? secretsDirectory) : ISecretResolver
{
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
        var variable = VariableName(reference);
        if (environment(variable) is { Length: > 0 } value)
            return SecretLookup.Found(value);
        if (secretsDirectory is not null)
        {
            var file = Path.Combine(secretsDirectory, reference.Name, reference.Key);
            if (File.Exists(file))
                return SecretLookup.Found((await File.ReadAllTextAsync(file, cancellationToken)).TrimEnd('\r', '\n'));
            return SecretLookup.Missing($"secret {reference} not found: set {variable} or create {file}");
        }

        return SecretLookup.Missing($"secret {reference} not found: set {variable} or pass --secrets-dir with {reference.Name}/{reference.Key}");
    }
}
