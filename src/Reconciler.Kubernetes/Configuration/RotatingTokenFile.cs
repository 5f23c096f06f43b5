using System.Net.Http.Headers;
using k8s.Authentication;

namespace Reconciler.Kubernetes.Configuration;

/// <summary>
/// A bearer token read from a file that is replaced under it (a projected service-account token, a kubeconfig user's
/// tokenFile), read as client-go's cached file token source reads it: again once a minute, and at once after the API
/// server refused it (see <see cref="RefreshAsync"/>). The library's TokenFileAuth only does the first, so a token
/// revoked when it is rotated meant a minute of 401s. <paramref name="fallback"/> (a kubeconfig user's static token) is sent
/// while the file has never been readable, as client-go sends it, and the file is tried again on every request until it is.
/// </summary>
public sealed class RotatingTokenFile(string path, TimeProvider? time = null, string? fallback = null) : ITokenProvider
{
    // kubelet replaces a projected token at 80% of its lifetime (at least ten minutes), so a copy a minute old is still valid.
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private Read? _last;

    /// <summary>The file's full path.</summary>
    public string Path { get; } = path;

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        var last = Volatile.Read(ref _last);
        var token = last is not null && _time.GetElapsedTime(last.At) < Period ? last.Token : await ReadAsync(last, cancellationToken);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>
    /// After the API server refused <paramref name="refused"/> (401): the file's token when it is another one, to send the
    /// request again with; null when the file still holds the refused token, which would only be refused again.
    /// </summary>
    public async Task<AuthenticationHeaderValue?> RefreshAsync(string? refused, CancellationToken cancellationToken)
    {
        var token = await ReadAsync(Volatile.Read(ref _last), cancellationToken);
        return token == refused ? null : new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<string> ReadAsync(Read? last, CancellationToken cancellationToken)
    {
        string token;
        try
        {
            token = (await File.ReadAllTextAsync(Path, cancellationToken)).Trim();
        }
        catch (Exception ex) when ((last?.Token ?? fallback) is { } kept && ex is IOException or UnauthorizedAccessException)
        {
            // As client-go: while the file cannot be read (replaced at this moment), the token read last is still sent.
            return kept;
        }

        Volatile.Write(ref _last, new Read(token, _time.GetTimestamp()));
        return token;
    }

    private sealed record Read(string Token, long At);
}
