using System.Security.Cryptography;
using System.Text;

namespace Reconciler.Platform.Auth;

/// <summary>The authenticated caller: its principal name (the audit actor) and scopes.</summary>
internal sealed record Principal(string Name, IReadOnlySet<string> Scopes)
{
    public bool Has(string scope) => Scopes.Contains(scope);
}

/// <summary>
/// Checks bearer tokens against the configured ones. Only SHA-256 hashes are kept; comparison is
/// constant-time and visits every configured token so timing reveals nothing about which matched.
/// </summary>
internal sealed class TokenAuthenticator
{
    private readonly (byte[] Hash, Principal Principal)[] _tokens;

    public TokenAuthenticator(IEnumerable<PlatformToken> tokens)
    {
        _tokens = tokens
            .Select(t => (Hash(t.Token), new Principal(t.Name, t.Scopes.ToHashSet(StringComparer.Ordinal))))
            .ToArray();
    }

    public Principal? Authenticate(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var hash = Hash(presented);
        Principal? match = null;
        foreach (var (candidate, principal) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, hash))
            {
                match = principal;
            }
        }

        return match;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
