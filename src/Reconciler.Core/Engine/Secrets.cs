using System.Security.Cryptography;
using System.Text;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>Finds the value of a <see cref="SecretKeyRef"/>: environment/file in the CLI, a Kubernetes Secret in the operator.</summary>
public interface ISecretResolver
{
    ValueTask<SecretLookup> ResolveAsync(SecretKeyRef reference, CancellationToken cancellationToken);
}

/// <summary>A resolved secret, or why it could not be resolved. Its text form never shows the value.</summary>
public sealed record SecretLookup
{
    private SecretLookup(string? value, string? error)
    {
        Value = value;
        Error = error;
    }

    public string? Value { get; }

    /// <summary>Where the resolver looked; safe to show.</summary>
    public string? Error { get; }

    public static SecretLookup Found(string value) => new(value, null);

    public static SecretLookup Missing(string error) => new(null, error);

    public override string ToString() => Value is null ? $"missing: {Error}" : "(sensitive value)";
}

/// <summary>
/// The secret values one run needs, resolved once. Plans never hold values, only fingerprints;
/// the executor reveals a value only to put it into a request body.
/// </summary>
public sealed class SecretValues
{
    private readonly Dictionary<SecretKeyRef, SecretLookup> values;

    public SecretValues(IReadOnlyDictionary<SecretKeyRef, SecretLookup> values) => this.values = new(values);

    public static SecretValues None { get; } = new(new Dictionary<SecretKeyRef, SecretLookup>());

    public SecretLookup Lookup(SecretKeyRef reference) =>
        values.GetValueOrDefault(reference) ?? SecretLookup.Missing($"secret {reference} was not resolved");

    /// <summary>Every secret the resources reference, resolved once each.</summary>
    public static async Task<SecretValues> ResolveAsync(IEnumerable<Resource> resources, ISecretResolver resolver, CancellationToken cancellationToken)
    {
        var found = new Dictionary<SecretKeyRef, SecretLookup>();
        foreach (var resource in resources)
        {
            foreach (var reference in KindControllers.For(resource).SecretReferences(resource))
            {
                if (!found.ContainsKey(reference))
                    found[reference] = await resolver.ResolveAsync(reference, cancellationToken);
            }
        }

        return new SecretValues(found);
    }

    public override string ToString() => $"{values.Count} secret(s)";
}

/// <summary>A salted, truncated HMAC of a secret: enough to notice rotation, useless to recover the value.</summary>
public static class SecretFingerprint
{
    public static string Compute(string salt, string secret)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes("reconciler:" + salt), Encoding.UTF8.GetBytes(secret));
        return Convert.ToHexStringLower(mac.AsSpan(0, 12));
    }
}
