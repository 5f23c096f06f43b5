namespace Reconciler.Kubernetes.Configuration;

/// <summary>Supplies the bearer token for each request, so rotated credentials are picked up without a restart.</summary>
public interface ITokenProvider
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>The server rejected the current token (401): fetch a fresh one next time.</summary>
    void Invalidate();
}

/// <summary>A fixed token from a kubeconfig <c>token</c> field.</summary>
public sealed class StaticTokenProvider(string token) : ITokenProvider
{
    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);

    public void Invalidate()
    {
        // A fixed token cannot be refreshed.
    }
}

/// <summary>
/// A token read from a file that something else rotates (the kubelet's projected service-account token, a
/// kubeconfig <c>tokenFile</c>). Re-read when the file changes and at least every <c>refreshInterval</c>,
/// as client-go's cached file token source; a failed re-read keeps the last good token.
/// </summary>
public sealed class FileTokenProvider : ITokenProvider
{
    private readonly string _path;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _refreshInterval;
    private readonly Lock _gate = new();
    private string? _token;
    private DateTime _fileWriteTimeUtc;
    private long _readAt;

    public FileTokenProvider(string path, TimeProvider? timeProvider = null, TimeSpan? refreshInterval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _refreshInterval = refreshInterval ?? TimeSpan.FromMinutes(1);
    }

    public string Path => _path;

    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var writeTime = File.GetLastWriteTimeUtc(_path);
            var stale = _token is null
                || writeTime != _fileWriteTimeUtc
                || _timeProvider.GetElapsedTime(_readAt) >= _refreshInterval;
            if (stale)
            {
                Refresh(writeTime);
            }

            return ValueTask.FromResult(_token!);
        }
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _fileWriteTimeUtc = default;
        }
    }

    private void Refresh(DateTime writeTime)
    {
        try
        {
            var token = File.ReadAllText(_path).Trim();
            if (token.Length == 0)
            {
                throw new KubernetesConfigurationException($"The token file {_path} is empty.");
            }

            _token = token;
            _fileWriteTimeUtc = writeTime;
            _readAt = _timeProvider.GetTimestamp();
        }
        catch (Exception ex) when (_token is not null && ex is IOException or UnauthorizedAccessException or KubernetesConfigurationException)
        {
            // Rotation replaces the file non-atomically on some volumes; the previous token is still valid for a while.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesConfigurationException($"Cannot read the token file {_path}: {ex.Message}", ex);
        }
    }
}

/// <summary>Adds <c>Authorization: Bearer</c> from an <see cref="ITokenProvider"/> and invalidates it on 401.</summary>
public sealed class BearerTokenHandler(ITokenProvider tokenProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await tokenProvider.GetTokenAsync(cancellationToken);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            tokenProvider.Invalidate();
        }

        return response;
    }
}
