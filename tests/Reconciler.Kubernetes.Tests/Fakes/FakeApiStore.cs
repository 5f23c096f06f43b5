using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>
/// The storage and admission semantics behind <see cref="FakeKubernetesApiServer"/>: an etcd-like store with one
/// global revision, a bounded change history for watches, and the generic registry's rules for create, update,
/// patch, status and delete. All state changes happen under one lock, so watchers see changes in revision order.
/// </summary>
internal sealed partial class FakeApiStore(TimeProvider timeProvider, int historyLimit)
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Group, string Version, string Plural), FakeResource> _resources = [];
    private readonly Dictionary<FakeResource, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly List<Change> _history = [];
    private readonly List<FakeWatch> _watches = [];
    private long _revision = 100;
    private long _compactedRevision = 100;

    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>See <see cref="FakeKubernetesApiServer.CompactBetweenPages"/>.</summary>
    public bool CompactBetweenPages { get; set; }

    public int OpenWatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    public void Register(FakeResource resource)
    {
        lock (_gate)
        {
            _resources[(resource.Type.Group, resource.Type.Version, resource.Type.Plural)] = resource;
            _objects.TryAdd(resource, new SortedDictionary<string, JsonObject>(StringComparer.Ordinal));
        }
    }

    public FakeResource? Find(string group, string version, string plural)
    {
        lock (_gate)
        {
            return _resources.GetValueOrDefault((group, version, plural));
        }
    }

    public JsonObject? TryGet(FakeResource resource, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects[resource].TryGetValue(Key(ns, name), out var obj) ? Clone(obj) : null;
        }
    }

    public JsonObject Get(FakeResource resource, string? ns, string name) =>
        TryGet(resource, ns, name) ?? throw FakeApiException.NotFound(resource, name);

    public JsonObject List(FakeResource resource, string? ns, LabelSelector? selector, int limit, string? continueToken)
    {
        lock (_gate)
        {
            var revision = _revision;
            var after = "";
            if (!string.IsNullOrEmpty(continueToken))
            {
                if (CompactBetweenPages)
                {
                    // Writes elsewhere in the cluster move the revision on, and compaction follows them.
                    _revision++;
                    CompactHistory();
                }

                (revision, after) = DecodeContinue(continueToken);
                if (revision < _compactedRevision)
                {
                    throw FakeApiException.Expired(
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                }
            }

            // Later pages are served from the first page's snapshot, as etcd serves them at the token's revision.
            var matching = Snapshot(resource, revision)
                .Where(entry => string.CompareOrdinal(entry.Key, after) > 0)
                .Where(entry => ns is null || Namespace(entry.Value) == ns)
                .Where(entry => selector is null || selector.Matches(Metadata(entry.Value)["labels"] as JsonObject))
                .ToList();
            var page = limit > 0 ? matching.Take(limit).ToList() : matching;
            var metadata = new JsonObject { ["resourceVersion"] = Rv(revision) };
            if (page.Count < matching.Count)
            {
                metadata["continue"] = EncodeContinue(revision, page[^1].Key);
                if (selector is null)
                {
                    metadata["remainingItemCount"] = matching.Count - page.Count;
                }
            }

            return new JsonObject
            {
                ["kind"] = resource.Type.Kind + "List",
                ["apiVersion"] = resource.Type.ApiVersion,
                ["metadata"] = metadata,
                ["items"] = new JsonArray([.. page.Select(entry => (JsonNode)Clone(entry.Value))]),
            };
        }
    }

    public JsonObject Create(FakeResource resource, string? ns, JsonObject body)
    {
        lock (_gate)
        {
            CheckTypeMeta(resource, body);
            var obj = Clone(body);
            var metadata = Metadata(obj);
            var name = Text(metadata["name"]);
            if (string.IsNullOrEmpty(name))
            {
                var prefix = Text(metadata["generateName"]);
                if (string.IsNullOrEmpty(prefix))
                {
                    throw FakeApiException.Invalid(resource, "", "metadata.name", "FieldValueRequired", "Required value: name or generateName is required");
                }

                name = prefix + string.Concat(Enumerable.Range(0, 5).Select(_ => GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)]));
                metadata["name"] = name;
            }

            CheckName(resource, name);
            CheckNamespace(resource, ns, metadata);
            if (!string.IsNullOrEmpty(Text(metadata["resourceVersion"])))
            {
                throw new FakeApiException(500, "InternalError", "resourceVersion should not be set on objects to be created");
            }

            var objects = _objects[resource];
            if (objects.ContainsKey(Key(ns, name)))
            {
                throw FakeApiException.AlreadyExists(resource, name);
            }

            if (resource.HasStatusSubresource)
            {
                obj.Remove("status");
            }

            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = FormatTime(timeProvider.GetUtcNow());
            metadata.Remove("deletionTimestamp");
            metadata.Remove("deletionGracePeriodSeconds");
            metadata.Remove("generation");
            if (resource.IsCustomResource)
            {
                metadata["generation"] = 1;
            }

            resource.Validate(name, obj);
            metadata["resourceVersion"] = Rv(++_revision);
            objects[Key(ns, name)] = obj;
            Record(resource, "ADDED", obj, null);
            return Clone(obj);
        }
    }

    /// <summary>PUT of the object (or, with <paramref name="status"/>, of its status subresource).</summary>
    public JsonObject Replace(FakeResource resource, string? ns, string name, JsonObject body, bool status)
    {
        lock (_gate)
        {
            CheckTypeMeta(resource, body);
            if (Text(Metadata(body)["name"]) is { } bodyName && bodyName != name)
            {
                throw FakeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            var current = _objects[resource].GetValueOrDefault(Key(ns, name)) ?? throw FakeApiException.NotFound(resource, name);

            // The body's uid is a precondition of the PUT (the generic registry's DefaultUpdatedObjectInfo), checked before the resourceVersion.
            var currentUid = Text(Metadata(current)["uid"]);
            if (Text(Metadata(body)["uid"]) is { Length: > 0 } uid && uid != currentUid)
            {
                throw FakeApiException.Conflict(resource, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {currentUid}");
            }

            var resourceVersion = Text(Metadata(body)["resourceVersion"]);
            if (string.IsNullOrEmpty(resourceVersion) && !resource.AllowsUnconditionalUpdate)
            {
                throw FakeApiException.Invalid(resource, name, "metadata.resourceVersion", "FieldValueInvalid", "Invalid value: 0x0: must be specified for an update");
            }

            return Update(resource, ns, name, current, body, resourceVersion, status);
        }
    }

    /// <summary>JSON merge patch of the object (or its status); a resourceVersion in the patch is a precondition.</summary>
    public JsonObject Patch(FakeResource resource, string? ns, string name, JsonObject patch, bool status)
    {
        lock (_gate)
        {
            var current = _objects[resource].GetValueOrDefault(Key(ns, name)) ?? throw FakeApiException.NotFound(resource, name);
            if (JsonMergePatch.Apply(current, patch) is not JsonObject patched)
            {
                throw FakeApiException.BadRequest("the patch must be a JSON object");
            }

            CheckTypeMeta(resource, patched);
            if (Text(Metadata(patched)["name"]) != name)
            {
                throw FakeApiException.BadRequest("metadata.name cannot be changed by a patch");
            }

            return Update(resource, ns, name, current, patched, Text(patch["metadata"]?["resourceVersion"]), status);
        }
    }

    /// <summary>
    /// Deletes at once, or, while finalizers remain, only marks the object with a deletionTimestamp (and, for
    /// objects that track it, a new generation). Returns the marked object, or null once it is gone.
    /// </summary>
    public JsonObject? Delete(FakeResource resource, string? ns, string name, JsonObject? options)
    {
        lock (_gate)
        {
            var objects = _objects[resource];
            var current = objects.GetValueOrDefault(Key(ns, name)) ?? throw FakeApiException.NotFound(resource, name);
            var metadata = Metadata(current);
            if (options?["preconditions"] is JsonObject preconditions)
            {
                CheckPrecondition(resource, name, "UID", Text(preconditions["uid"]), Text(metadata["uid"]));
                CheckPrecondition(resource, name, "ResourceVersion", Text(preconditions["resourceVersion"]), Text(metadata["resourceVersion"]));
            }

            if (Finalizers(current).Count > 0)
            {
                if (metadata["deletionTimestamp"] is not null)
                {
                    return Clone(current);
                }

                var marked = Clone(current);
                var markedMetadata = Metadata(marked);
                markedMetadata["deletionTimestamp"] = FormatTime(timeProvider.GetUtcNow());
                markedMetadata["deletionGracePeriodSeconds"] = 0;
                if (Number(markedMetadata["generation"]) is > 0 and var generation)
                {
                    markedMetadata["generation"] = generation + 1;
                }

                markedMetadata["resourceVersion"] = Rv(++_revision);
                objects[Key(ns, name)] = marked;
                Record(resource, "MODIFIED", marked, current);
                return Clone(marked);
            }

            var gone = Clone(current);
            Metadata(gone)["resourceVersion"] = Rv(++_revision);
            objects.Remove(Key(ns, name));
            Record(resource, "DELETED", gone, current);
            return null;
        }
    }

    /// <summary>
    /// Opens a watch: no (or "0") resourceVersion replays current objects as ADDED; otherwise changes after it are
    /// replayed from history, or the watch ends at once with a 410 Expired ERROR if history no longer reaches back.
    /// </summary>
    public FakeWatch Watch(FakeResource resource, string? ns, LabelSelector? selector, string? resourceVersion, bool bookmarks)
    {
        lock (_gate)
        {
            var watch = new FakeWatch(resource, ns, selector, bookmarks);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var obj in _objects[resource].Values)
                {
                    watch.Offer(new Change(_revision, resource, "ADDED", obj, null));
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw FakeApiException.BadRequest($"Invalid value \"{resourceVersion}\": resourceVersion must be an integer");
                }

                if (from < _compactedRevision)
                {
                    watch.Fail(FakeApiStatus.Create(410, "Expired", $"too old resource version: {from} ({_compactedRevision + 1})"));
                    return watch;
                }

                // The watch cache waits a few seconds for a version it has not reached, then gives up with this Timeout.
                if (from > _revision)
                {
                    var causes = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" });
                    watch.Fail(FakeApiStatus.Create(504, "Timeout", $"Too large resource version: {from}, current: {_revision}", new JsonObject { ["causes"] = causes, ["retryAfterSeconds"] = 1 }));
                    return watch;
                }

                foreach (var change in _history.Where(change => change.Revision > from && change.Resource == resource))
                {
                    watch.Offer(change);
                }
            }

            _watches.Add(watch);
            return watch;
        }
    }

    public void StopWatch(FakeWatch watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
            watch.Close();
        }
    }

    public void SendBookmark(FakeWatch watch)
    {
        lock (_gate)
        {
            watch.Bookmark(_revision);
        }
    }

    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Bookmark(_revision);
            }
        }
    }

    public void FailOpenWatches(JsonObject status)
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Fail((JsonObject)status.DeepClone());
            }

            _watches.Clear();
        }
    }

    public void CloseAllWatches()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Close();
            }

            _watches.Clear();
        }
    }

    public object Backup()
    {
        lock (_gate)
        {
            return new StoreBackup(_revision, _objects.ToDictionary(entry => entry.Key, entry => new SortedDictionary<string, JsonObject>(
                entry.Value.ToDictionary(o => o.Key, o => Clone(o.Value)), StringComparer.Ordinal)));
        }
    }

    public void Restore(object backup)
    {
        var saved = (StoreBackup)backup;
        lock (_gate)
        {
            foreach (var (resource, objects) in saved.Objects)
            {
                _objects[resource] = new SortedDictionary<string, JsonObject>(objects.ToDictionary(o => o.Key, o => Clone(o.Value)), StringComparer.Ordinal);
            }

            _revision = saved.Revision;
            _history.Clear();
            _compactedRevision = saved.Revision;

            // In the same lock: a periodic bookmark sent between the restore and the close would carry the restored
            // (older) version to a watch that saw newer ones, which a restarted API server never does.
            CloseAllWatches();
        }
    }

    /// <summary>Forgets all history, as etcd compaction does: watches from any older version get 410 Expired.</summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedRevision = _revision;
        }
    }

    private JsonObject Update(FakeResource resource, string? ns, string name, JsonObject current, JsonObject incoming, string? resourceVersion, bool status)
    {
        var currentMetadata = Metadata(current);
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != Text(currentMetadata["resourceVersion"]))
        {
            throw FakeApiException.Conflict(resource, name);
        }

        JsonObject next;
        if (status)
        {
            // The status endpoint ignores everything but status.
            next = Clone(current);
            SetOrRemove(next, "status", incoming["status"]);
        }
        else
        {
            next = Clone(incoming);
            var metadata = Metadata(next);
            if (Text(metadata["uid"]) is { Length: > 0 } uid && uid != Text(currentMetadata["uid"]))
            {
                throw FakeApiException.Invalid(resource, name, "metadata.uid", "FieldValueInvalid", $"Invalid value: \"{uid}\": field is immutable");
            }

            // System fields come from the stored object whatever the request says.
            foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
            {
                SetOrRemove(metadata, field, currentMetadata[field]);
            }

            if (resource.HasStatusSubresource)
            {
                SetOrRemove(next, "status", current["status"]);
            }

            if (currentMetadata["deletionTimestamp"] is not null)
            {
                var added = Finalizers(next).Except(Finalizers(current), StringComparer.Ordinal).ToList();
                if (added.Count > 0)
                {
                    throw FakeApiException.Invalid(resource, name, "metadata.finalizers", "FieldValueForbidden",
                        $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(f => $"\"{f}\""))}}}");
                }
            }
        }

        resource.Validate(name, next);
        resource.ValidateUpdate(name, current, next);
        if (resource.IsCustomResource && !status && ChangedOutsideMetadata(current, next))
        {
            Metadata(next)["generation"] = (Number(currentMetadata["generation"]) ?? 0) + 1;
        }

        // Like etcd3's GuaranteedUpdate: an update that changes nothing writes nothing and notifies no one.
        Metadata(next)["resourceVersion"] = currentMetadata["resourceVersion"]?.DeepClone();
        if (JsonNode.DeepEquals(current, next))
        {
            return Clone(current);
        }

        Metadata(next)["resourceVersion"] = Rv(++_revision);
        var objects = _objects[resource];
        if (Metadata(next)["deletionTimestamp"] is not null && Finalizers(next).Count == 0)
        {
            objects.Remove(Key(ns, name));
            Record(resource, "DELETED", next, current);
        }
        else
        {
            objects[Key(ns, name)] = next;
            Record(resource, "MODIFIED", next, current);
        }

        return Clone(next);
    }

    /// <summary>
    /// The apiextensions strategy's rule for the main endpoint: any change outside metadata, judged after a status
    /// subresource's status was put back, so that there only a change of spec (or another top-level field) counts.
    /// The status endpoint never moves the generation.
    /// </summary>
    private static bool ChangedOutsideMetadata(JsonObject current, JsonObject next)
    {
        var before = Clone(current);
        var after = Clone(next);
        before.Remove("metadata");
        after.Remove("metadata");
        return !JsonNode.DeepEquals(before, after);
    }

    private void Record(FakeResource resource, string type, JsonObject obj, JsonObject? previous)
    {
        var change = new Change(_revision, resource, type, Clone(obj), previous is null ? null : Clone(previous));
        _history.Add(change);
        if (_history.Count > historyLimit)
        {
            // Like the watch cache, keep a window: the oldest changes fall out and watches from before it expire.
            var dropped = _history.Count - historyLimit;
            _compactedRevision = _history[dropped - 1].Revision;
            _history.RemoveRange(0, dropped);
        }

        foreach (var watch in _watches.Where(watch => watch.Resource == resource))
        {
            watch.Offer(change);
        }
    }

    /// <summary>The objects as they were at <paramref name="revision"/>, rebuilt by undoing later history.</summary>
    private SortedDictionary<string, JsonObject> Snapshot(FakeResource resource, long revision)
    {
        var snapshot = new SortedDictionary<string, JsonObject>(_objects[resource], StringComparer.Ordinal);
        for (var i = _history.Count - 1; i >= 0 && _history[i].Revision > revision; i--)
        {
            var change = _history[i];
            if (change.Resource != resource)
            {
                continue;
            }

            var key = Key(Namespace(change.Object), Text(Metadata(change.Object)["name"])!);
            if (change.Previous is null)
            {
                snapshot.Remove(key);
            }
            else
            {
                snapshot[key] = change.Previous;
            }
        }

        return snapshot;
    }

    /// <summary>
    /// Built-in types are decoded with the endpoint's group/version/kind as defaults, so a body may leave them out
    /// (client libraries such as KubernetesClient's LeaseLock do); custom resources are decoded as unstructured
    /// objects, which must name them.
    /// </summary>
    private static void CheckTypeMeta(FakeResource resource, JsonObject body)
    {
        if (!resource.IsCustomResource)
        {
            if (Text(body["apiVersion"]) is null or "")
            {
                body["apiVersion"] = resource.Type.ApiVersion;
            }

            if (Text(body["kind"]) is null or "")
            {
                body["kind"] = resource.Type.Kind;
            }
        }

        var kind = Text(body["kind"]);
        var apiVersion = Text(body["apiVersion"]);
        if (string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(apiVersion))
        {
            throw FakeApiException.BadRequest($"Object 'Kind' or 'apiVersion' is missing in '{Truncate(body.ToJsonString())}'");
        }

        if (kind != resource.Type.Kind || apiVersion != resource.Type.ApiVersion)
        {
            throw FakeApiException.BadRequest($"the API version in the data ({apiVersion}) and kind ({kind}) do not match the endpoint's {resource.Type.ApiVersion}, {resource.Type.Kind}");
        }
    }

    private static void CheckName(FakeResource resource, string name)
    {
        if (name.Length > 253 || !SubdomainPattern().IsMatch(name))
        {
            throw FakeApiException.Invalid(resource, name, "metadata.name", "FieldValueInvalid",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }
    }

    private static void CheckNamespace(FakeResource resource, string? ns, JsonObject metadata)
    {
        var given = Text(metadata["namespace"]);
        if (!resource.Type.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        if (!string.IsNullOrEmpty(given) && given != ns)
        {
            throw FakeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = ns;
    }

    private static void CheckPrecondition(FakeResource resource, string name, string what, string? expected, string? actual)
    {
        if (!string.IsNullOrEmpty(expected) && expected != actual)
        {
            throw FakeApiException.Conflict(resource, name, $"Precondition failed: {what} in precondition: {expected}, {what} in object meta: {actual}");
        }
    }

    private static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        Metadata(obj)["finalizers"] is JsonArray array ? [.. array.Select(Text).OfType<string>()] : [];

    internal static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    internal static string? Namespace(JsonObject obj) => Text(Metadata(obj)["namespace"]);

    private static void SetOrRemove(JsonObject target, string name, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(name);
        }
        else
        {
            target[name] = value.DeepClone();
        }
    }

    private static string Key(string? ns, string name) => $"{ns}/{name}";

    private static string Rv(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>An integer whether the node was parsed from JSON or built from a CLR number.</summary>
    internal static long? Number(JsonNode? node) =>
        node is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static JsonObject Clone(JsonObject obj) => (JsonObject)obj.DeepClone();

    private static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";

    private static string EncodeContinue(long revision, string after) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["rv"] = revision, ["start"] = after }));

    private static (long Revision, string After) DecodeContinue(string token)
    {
        try
        {
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!;
            return (node["rv"]!.GetValue<long>(), node["start"]!.GetValue<string>());
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw FakeApiException.BadRequest("continue key is not valid: " + ex.Message);
        }
    }

    /// <summary>What <see cref="Backup"/> saved.</summary>
    private sealed record StoreBackup(long Revision, Dictionary<FakeResource, SortedDictionary<string, JsonObject>> Objects);

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainPattern();
}

/// <summary>One stored change: the object after it and, except for creations, before it.</summary>
internal sealed record Change(long Revision, FakeResource Resource, string Type, JsonObject Object, JsonObject? Previous);
