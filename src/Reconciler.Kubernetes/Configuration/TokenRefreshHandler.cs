using System.Net;

namespace Reconciler.Kubernetes.Configuration;

/// <summary>
/// Sends a request the API server refused with 401 once more when the token file now holds another token: a bound
/// service-account token can be rejected as soon as kubelet has replaced it, and the request that found out should not
/// be the one that fails. client-go re-reads the file on a 401 too, for the next request.
/// </summary>
internal sealed class TokenRefreshHandler(RotatingTokenFile tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized
            || request.Headers.Authorization is not { Scheme: "Bearer" } sent
            || await tokens.RefreshAsync(sent.Parameter, cancellationToken) is not { } fresh)
        {
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = fresh;
        return await base.SendAsync(request, cancellationToken);
    }
}
