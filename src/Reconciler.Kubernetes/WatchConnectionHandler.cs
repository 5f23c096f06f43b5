namespace Reconciler.Kubernetes;

/// <summary>
/// Gives every watch an HTTP/1.1 connection of its own, closed when the watch ends, never reused for another request.
/// A watch is ended by cancelling its read (on an ERROR event, at shutdown, past its deadline). Cancelled as its response
/// completed, the connection could still go back to the pool, and the next request sent on it never saw its answer: it
/// waited out its whole timeout (a relist after a 410, a status write, a Lease renewal stalled for 30 s). HTTP/2 streams
/// share no such state, and the header does not travel over HTTP/2.
/// </summary>
public sealed class WatchConnectionHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsWatch(request.RequestUri))
            request.Headers.ConnectionClose = true;
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>A request with <c>watch=true</c> (or <c>watch=1</c>): a stream the caller ends, not a request with one answer.</summary>
    public static bool IsWatch(Uri? uri) =>
        uri is not null && uri.Query.TrimStart('?').Split('&').Any(parameter =>
            parameter.Equals("watch=true", StringComparison.OrdinalIgnoreCase) || parameter.Equals("watch=1", StringComparison.Ordinal));
}
