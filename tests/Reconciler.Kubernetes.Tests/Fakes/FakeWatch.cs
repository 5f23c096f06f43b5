using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>
/// One open watch: a queue of serialized events for the HTTP response to stream. A label selector is applied
/// the way the API server applies it: an object that stops matching is reported DELETED, one that starts
/// matching ADDED.
/// </summary>
internal sealed class FakeWatch(FakeResource resource, string? ns, LabelSelector? selector, bool bookmarks)
{
    private readonly Channel<string> _events = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public FakeResource Resource { get; } = resource;

    public ChannelReader<string> Events => _events.Reader;

    public void Offer(Change change)
    {
        if (ns is not null && FakeApiStore.Namespace(change.Object) != ns)
        {
            return;
        }

        var matchesNow = Matches(change.Object);
        var matchedBefore = change.Previous is not null && Matches(change.Previous);
        var type = change.Type switch
        {
            "ADDED" => matchesNow ? "ADDED" : null,
            "DELETED" => matchedBefore ? "DELETED" : null,
            _ => (matchedBefore, matchesNow) switch
            {
                (true, true) => "MODIFIED",
                (true, false) => "DELETED",
                (false, true) => "ADDED",
                _ => null,
            },
        };
        if (type is not null)
        {
            Write(type, change.Object.DeepClone());
        }
    }

    public void Bookmark(long revision)
    {
        if (bookmarks)
        {
            Write("BOOKMARK", new JsonObject
            {
                ["kind"] = Resource.Type.Kind,
                ["apiVersion"] = Resource.Type.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
        }
    }

    /// <summary>Sends an ERROR event and ends the watch, as the API server does for an expired resourceVersion.</summary>
    public void Fail(JsonObject status)
    {
        Write("ERROR", status);
        Close();
    }

    public void Close() => _events.Writer.TryComplete();

    private bool Matches(JsonObject obj) => selector is null || selector.Matches(FakeApiStore.Metadata(obj)["labels"] as JsonObject);

    private void Write(string type, JsonNode obj) =>
        _events.Writer.TryWrite(new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString() + "\n");
}
