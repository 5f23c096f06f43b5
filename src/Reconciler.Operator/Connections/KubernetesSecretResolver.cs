using System.Text;
using System.Text.Unicode;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes.Models;
using Reconciler.Kubernetes.Runtime;

namespace Reconciler.Operator.Connections;

/// <summary>Resolves secret references from the Secret informer cache of one namespace; never calls the API server.</summary>
public sealed class KubernetesSecretResolver(ResourceCache<Secret> secrets, string @namespace) : ISecretResolver
{
    public ValueTask<SecretLookup> ResolveAsync(SecretKeyRef reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return ValueTask.FromResult(Resolve(secrets, @namespace, reference));
    }

    public static SecretLookup Resolve(ResourceCache<Secret> secrets, string @namespace, SecretKeyRef reference)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(reference);
        var secret = secrets.Get(@namespace, reference.Name);
        if (secret is null)
            return SecretLookup.Missing($"Secret {@namespace}/{reference.Name} does not exist");
        if (secret.Data?.GetValueOrDefault(reference.Key) is not { } bytes)
            return SecretLookup.Missing($"Secret {@namespace}/{reference.Name} has no key '{reference.Key}'");
        // Decoding would put U+FFFD where a byte is not UTF-8, and the platform would be sent another credential than the
        // Secret's; the message names no byte of it.
        return Utf8.IsValid(bytes)
            ? SecretLookup.FromText(Encoding.UTF8.GetString(bytes), $"Secret {@namespace}/{reference.Name} key '{reference.Key}' is empty")
            : SecretLookup.Missing($"Secret {@namespace}/{reference.Name} key '{reference.Key}' is not UTF-8 text; the platform takes secrets as text");
    }
}
