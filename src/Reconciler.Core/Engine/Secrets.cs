using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Reconciler.Core.Mapping;
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

    /// <summary>
    /// A value kept as text, in a file laid out like a mounted Secret or under a Kubernetes Secret's key, as the platform
    /// is sent it: without the line breaks that end it (<c>echo</c> and editors end a file with one, and
    /// <c>kubectl create secret --from-file</c> keeps it; no credential ends with one), so that the CLI and the operator
    /// send the same value for the same file. Nothing else left is no secret: <paramref name="empty"/> says where.
    /// </summary>
    public static SecretLookup FromText(string text, string empty)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.TrimEnd('\r', '\n');
        return string.IsNullOrWhiteSpace(value) ? Missing(empty) : Found(value);
    }

    public override string ToString() => Value is null ? $"missing: {Error}" : "(sensitive value)";
}

/// <summary>
/// The secret values one run needs, resolved once. Plans never hold values, only fingerprints;
/// the executor reveals a value only to put it into a request body.
/// </summary>
public sealed class SecretValues
{
    private readonly Dictionary<SecretKeyRef, SecretLookup> _values;
    private readonly ConcurrentDictionary<(SecretKeyRef Reference, string Label), bool> _matches = new();
    private readonly ConcurrentDictionary<SecretKeyRef, string> _fresh = new();

    private readonly bool _placeholders;
    private SecretMask? _mask;

    public SecretValues(IReadOnlyDictionary<SecretKeyRef, SecretLookup> values) => _values = new(values);

    private SecretValues(IReadOnlyDictionary<SecretKeyRef, SecretLookup> values, bool placeholders)
        : this(values) => _placeholders = placeholders;

    /// <summary>A stand-in value for every reference and no fingerprints (each costs a slow derivation): for checking the shape of mapped bodies.</summary>
    public static SecretValues Placeholders(IEnumerable<SecretKeyRef> references) =>
        new(references.Distinct().ToDictionary(r => r, _ => SecretLookup.Found("(placeholder)")), placeholders: true);

    public static SecretValues None { get; } = new(new Dictionary<SecretKeyRef, SecretLookup>());

    /// <summary>Every secret this run resolved (or failed to).</summary>
    public IReadOnlyCollection<SecretKeyRef> References => _values.Keys;

    public SecretLookup Lookup(SecretKeyRef reference) =>
        _values.GetValueOrDefault(reference) ?? SecretLookup.Missing($"secret {reference} was not resolved");

    /// <summary>
    /// The fingerprint label for a secret: the observed one when it still matches (so an unchanged secret plans no
    /// change), else one fresh fingerprint per secret and run. Both are remembered, since each costs a slow derivation.
    /// </summary>
    public string Fingerprint(SecretKeyRef reference, string secret, string? observedLabel)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (_placeholders)
            return "";
        if (observedLabel is not null && _matches.GetOrAdd((reference, observedLabel), key => SecretFingerprint.Matches(key.Label, secret)))
            return observedLabel;
        return _fresh.GetOrAdd(reference, _ => SecretFingerprint.Create(secret));
    }

    /// <summary>Every secret the resources reference, resolved once each.</summary>
    public static async Task<SecretValues> ResolveAsync(IEnumerable<Resource> resources, ISecretResolver resolver, CancellationToken cancellationToken)
    {
        var found = new Dictionary<SecretKeyRef, SecretLookup>();
        foreach (var resource in resources)
        {
            foreach (var reference in KindMappers.For(resource).SecretReferences(resource))
            {
                if (!found.ContainsKey(reference))
                    found[reference] = await resolver.ResolveAsync(reference, cancellationToken);
            }
        }

        return new SecretValues(found);
    }

    /// <summary>The text with every value this run resolved masked, however the platform quoted it (see <see cref="SecretMask"/>).</summary>
    public string Masked(string text) =>
        (_mask ??= new SecretMask(_values.Values.Select(v => v.Value).OfType<string>())).Apply(text);

    public override string ToString() => $"{_values.Count} secret(s)";
}

/// <summary>
/// What the <c>reconciler.dev/secret-fingerprint</c> label holds: PBKDF2-HMAC-SHA256 of the secret with a random
/// per-object salt and <see cref="Iterations"/> rounds, as <c>p2.&lt;salt&gt;.&lt;hash&gt;</c>. Anyone who can read the
/// platform sees the label; the random salt defeats precomputed tables and the iterations make every offline guess
/// cost what a password hash costs. Enough to notice rotation, useless to recover the value.
/// </summary>
public static class SecretFingerprint
{
    /// <summary>OWASP's 2023 floor for PBKDF2-HMAC-SHA256 is 600,000 for passwords; client secrets are random, so a sixth of that keeps a plan fast.</summary>
    public const int Iterations = 100_000;

    private const string Scheme = "p2";
    private const int SaltBytes = 8;
    private const int HashBytes = 16;

    /// <summary>A fingerprint with a fresh random salt.</summary>
    public static string Create(string secret) => Format(RandomNumberGenerator.GetBytes(SaltBytes), secret);

    /// <summary>Whether <paramref name="label"/> is a fingerprint of <paramref name="secret"/> (recomputed with the label's own salt).</summary>
    public static bool Matches(string? label, string secret)
    {
        var parts = label?.Split('.');
        if (parts is not [Scheme, { Length: SaltBytes * 2 } salt, { Length: HashBytes * 2 } hash] || !IsHex(salt) || !IsHex(hash))
            return false;
        var expected = Format(Convert.FromHexString(salt), secret);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(label!));
    }

    private static string Format(byte[] salt, string secret)
    {
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"{Scheme}.{Convert.ToHexStringLower(salt)}.{Convert.ToHexStringLower(hash)}";
    }

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigitLower);
}
