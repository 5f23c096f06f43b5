namespace Reconciler.Platform.Client;

/// <summary>
/// A request was sent on a connection the platform accepted, and no whole answer came within
/// <see cref="AdminApiClientOptions.AttemptTimeout"/> (<paramref name="earlier"/>: an earlier request's did not, and this
/// one was not sent). Not a network error: the platform is there and holds the request, so it is not retried.
/// </summary>
internal sealed class PlatformNotAnsweringException(TimeSpan limit, bool earlier) : Exception(earlier ? "an earlier request got no answer" : "no answer")
{
    public TimeSpan Limit { get; } = limit;

    public bool Earlier { get; } = earlier;
}
