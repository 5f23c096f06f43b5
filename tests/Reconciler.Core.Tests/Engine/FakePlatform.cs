using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;

namespace Reconciler.Core.Tests.Engine;

/// <summary>An in-memory platform with the contract's semantics (natural keys, versions, idempotency keys, audit) and hooks to inject failures.</summary>
internal sealed class FakePlatform : IPlatformClient
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, PlatformObject>> _collections = [];
    private readonly Dictionary<string, PlatformObject> _byIdempotencyKey = [];
    private readonly List<AuditRecord> _audit = [];
    private int _nextId;

    public FakePlatform()
    {
        foreach (var controller in KindMappers.InDependencyOrder.Where(c => !c.IsSingleton))
            _collections[controller.Collection] = [];
        foreach (var controller in KindMappers.InDependencyOrder.Where(c => c.Description.BuiltIn.Count > 0))
        {
            foreach (var builtIn in controller.Description.BuiltIn)
                Seed(controller.Collection, new JsonObject { ["name"] = builtIn, ["displayName"] = builtIn, ["builtIn"] = true }, actor: "platform");
        }
        Organization = new PlatformObject("org", "organization", 1, new Dictionary<string, string>(), new JsonObject { ["displayName"] = "My organization", ["timezone"] = "UTC" });
    }

    public PlatformObject Organization { get; private set; }

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<AuditQuery> AuditQueries { get; } = new();

    /// <summary>Whether objects carry <c>updatedAt</c> (the time of their last audit event), as the reference platform's do.</summary>
    public bool StampsUpdatedAt { get; set; } = true;

    public ConcurrentDictionary<string, JsonObject> LastBodies { get; } = new();

    /// <summary>Answers a call instead of the platform when it returns a result: (operation, collection, key-or-id).</summary>
    public Func<string, string, string, PlatformOutcome?>? Inject { get; set; }

    /// <summary>Creates asked for so far, counted the moment the call is made (before it yields).</summary>
    public int CreatesStarted => Volatile.Read(ref _createsStarted);

    private int _createsStarted;

    public int Writes => Calls.Count(c => c.StartsWith("POST", StringComparison.Ordinal) || c.StartsWith("PUT", StringComparison.Ordinal) || c.StartsWith("DELETE", StringComparison.Ordinal));

    public IReadOnlyList<PlatformObject> All(string collection)
    {
        lock (_gate)
            return [.. _collections[collection].Values];
    }

    public IReadOnlyList<AuditRecord> Audit
    {
        get
        {
            lock (_gate)
                return [.. _audit];
        }
    }

    public PlatformObject Seed(string collection, JsonObject fields, IReadOnlyDictionary<string, string>? labels = null, string actor = "someone")
    {
        lock (_gate)
        {
            var o = New(collection, fields, labels ?? new Dictionary<string, string>());
            _collections[collection][o.Id] = o;
            Record(actor, "create", collection, o, null);
            return o;
        }
    }

    /// <summary>An out-of-band edit, as an admin in the console would make it.</summary>
    public PlatformObject Edit(string collection, string id, Action<JsonObject> edit, string actor = "alice@acme.example")
    {
        lock (_gate)
        {
            var current = _collections[collection][id];
            var fields = (JsonObject)current.Fields.DeepClone();
            edit(fields);
            Stamp(fields);
            var updated = current with { Version = current.Version + 1, Fields = fields };
            _collections[collection][id] = updated;
            Record(actor, "update", collection, updated, "console edit");
            return updated;
        }
    }

    public Task<PlatformResult<IReadOnlyList<PlatformObject>>> ListAsync(string collection, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"LIST {collection}");
        if (Injected<IReadOnlyList<PlatformObject>>("LIST", collection, "") is { } failure)
            return Task.FromResult(failure);
        return Task.FromResult(PlatformResult<IReadOnlyList<PlatformObject>>.Ok(All(collection)));
    }

    public Task<PlatformResult<PlatformObject>> GetAsync(string collection, string id, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"GET {collection}/{id}");
        lock (_gate)
        {
            return Task.FromResult(_collections[collection].TryGetValue(id, out var o)
                ? PlatformResult<PlatformObject>.Ok(o)
                : PlatformResult<PlatformObject>.Fail(PlatformOutcome.NotFound, "not found"));
        }
    }

    public Task<PlatformResult<PlatformObject>> GetOrganizationAsync(CancellationToken cancellationToken)
    {
        Calls.Enqueue("GET organization");
        lock (_gate)
            return Task.FromResult(PlatformResult<PlatformObject>.Ok(Organization));
    }

    public async Task<PlatformResult<PlatformObject>> CreateAsync(string collection, JsonObject body, string idempotencyKey, ChangeReason reason, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _createsStarted);
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var key = KeyOf(collection, body);
        Calls.Enqueue($"POST {collection} {key}");
        LastBodies[$"{collection}/{key}"] = (JsonObject)body.DeepClone();
        if (Injected<PlatformObject>("POST", collection, key) is { } failure)
            return failure;
        lock (_gate)
        {
            if (_byIdempotencyKey.TryGetValue(idempotencyKey, out var replay))
                return PlatformResult<PlatformObject>.Ok(replay) with { Replayed = true };
            if (_collections[collection].Values.FirstOrDefault(o => o.Key == key) is { } existing)
                return PlatformResult<PlatformObject>.Fail(PlatformOutcome.Conflict, "duplicate key", existing.Id);
            var fields = (JsonObject)body.DeepClone();
            var labels = TakeLabels(fields);
            StripSecrets(fields);
            var o = New(collection, fields, labels);
            _collections[collection][o.Id] = o;
            _byIdempotencyKey[idempotencyKey] = o;
            Record("reconciler-bot", "create", collection, o, reason.Text);
            return PlatformResult<PlatformObject>.Ok(o);
        }
    }

    public async Task<PlatformResult<PlatformObject>> ReplaceAsync(string collection, string id, long expectedVersion, JsonObject body, ChangeReason reason, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Calls.Enqueue($"PUT {collection}/{id}");
        LastBodies[$"{collection}/{id}"] = (JsonObject)body.DeepClone();
        if (Injected<PlatformObject>("PUT", collection, id) is { } failure)
            return failure;
        lock (_gate)
        {
            if (!_collections[collection].TryGetValue(id, out var current))
                return PlatformResult<PlatformObject>.Fail(PlatformOutcome.NotFound, "not found");
            if (current.Version != expectedVersion)
                return PlatformResult<PlatformObject>.Fail(PlatformOutcome.PreconditionFailed, "stale");
            var fields = (JsonObject)body.DeepClone();
            var labels = TakeLabels(fields);
            StripSecrets(fields);
            fields["builtIn"] = current.Fields["builtIn"]?.DeepClone();
            Stamp(fields);
            var updated = current with { Version = current.Version + 1, Labels = labels, Fields = fields };
            _collections[collection][id] = updated;
            Record("reconciler-bot", "update", collection, updated, reason.Text);
            return PlatformResult<PlatformObject>.Ok(updated);
        }
    }

    /// <summary>Billing sells the account a number of seats, as the platform then reports them on the organisation.</summary>
    public void SellSeats(int seats)
    {
        lock (_gate)
        {
            var fields = (JsonObject)Organization.Fields.DeepClone();
            fields["licences"] = new JsonObject { ["seatsBought"] = seats };
            Organization = Organization with { Version = Organization.Version + 1, Fields = fields };
        }
    }

    public async Task<PlatformResult<PlatformObject>> ReplaceOrganizationAsync(long expectedVersion, JsonObject body, ChangeReason reason, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Calls.Enqueue("PUT organization");
        lock (_gate)
        {
            if (Organization.Version != expectedVersion)
                return PlatformResult<PlatformObject>.Fail(PlatformOutcome.PreconditionFailed, "stale");
            var fields = (JsonObject)body.DeepClone();
            var labels = TakeLabels(fields);
            Stamp(fields);
            Organization = Organization with { Version = Organization.Version + 1, Labels = labels, Fields = fields };
            Record("reconciler-bot", "update", "organization", Organization, reason.Text);
            return PlatformResult<PlatformObject>.Ok(Organization);
        }
    }

    public async Task<PlatformResult<PlatformObject?>> DeleteAsync(string collection, string id, long expectedVersion, ChangeReason reason, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Calls.Enqueue($"DELETE {collection}/{id}");
        if (Injected<PlatformObject?>("DELETE", collection, id) is { } failure)
            return failure;
        lock (_gate)
        {
            if (!_collections[collection].TryGetValue(id, out var current))
                return PlatformResult<PlatformObject?>.Fail(PlatformOutcome.NotFound, "not found");
            if (current.Version != expectedVersion)
                return PlatformResult<PlatformObject?>.Fail(PlatformOutcome.PreconditionFailed, "stale");
            _collections[collection].Remove(id);
            Record("reconciler-bot", "delete", collection, current, reason.Text);
            return PlatformResult<PlatformObject?>.Ok(null);
        }
    }

    public Task<PlatformResult<IReadOnlyList<AuditRecord>>> ListAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        Calls.Enqueue("AUDIT");
        AuditQueries.Enqueue(query);
        lock (_gate)
        {
            return Task.FromResult(PlatformResult<IReadOnlyList<AuditRecord>>.Ok(
                [.. _audit.Where(a => a.Sequence > query.AfterSequence
                    && (query.Since is null || a.At >= query.Since)
                    && (query.Collection is null || a.Collection == query.Collection)
                    && (query.ObjectId is null || a.ObjectId == query.ObjectId))]));
        }
    }

    /// <summary>The platform's permission catalog: names the tests' roles use, as the reference platform's catalog has them.</summary>
    public IReadOnlyList<string> PermissionCatalog { get; set; } =
        ["inbox.view", "inbox.reply", "inbox.assign", "reports.view", "contacts.manage", "agents.manage", "roles.manage", "sso.manage", "settings.view"];

    public Task<PlatformResult<IReadOnlyList<string>>> ListPermissionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(PlatformResult<IReadOnlyList<string>>.Ok(PermissionCatalog));

    /// <summary>The platform's placeholder catalog, as the reference platform's begins.</summary>
    public IReadOnlyList<string> PlaceholderCatalog { get; set; } = ["customer.name", "customer.firstName", "customer.email", "agent.name", "organization.name"];

    public Task<PlatformResult<IReadOnlyList<string>>> ListPlaceholdersAsync(CancellationToken cancellationToken) =>
        Task.FromResult(PlatformResult<IReadOnlyList<string>>.Ok(PlaceholderCatalog));

    private PlatformResult<T>? Injected<T>(string operation, string collection, string target) =>
        Inject?.Invoke(operation, collection, target) is { } outcome ? PlatformResult<T>.Fail(outcome, $"injected {outcome}") : null;

    private static string KeyOf(string collection, JsonObject body) =>
        collection switch
        {
            "agents" => body["email"]!.GetValue<string>().ToLowerInvariant(),
            "reply-templates" => body["shortcut"]!.GetValue<string>(),
            _ => body["name"]!.GetValue<string>(),
        };

    private PlatformObject New(string collection, JsonObject fields, IReadOnlyDictionary<string, string> labels)
    {
        var id = $"{collection[..2]}-{Interlocked.Increment(ref _nextId)}";
        fields["id"] = id;
        Stamp(fields);
        return new PlatformObject(id, KeyOf(collection, fields), 1, labels, fields);
    }

    private static Dictionary<string, string> TakeLabels(JsonObject fields)
    {
        var labels = fields["labels"] is JsonObject map
            ? map.ToDictionary(l => l.Key, l => l.Value!.GetValue<string>())
            : [];
        fields.Remove("labels");
        return labels;
    }

    private static void StripSecrets(JsonObject fields)
    {
        if (fields["oidc"] is JsonObject oidc && oidc.Remove("clientSecret"))
            oidc["clientSecretSet"] = true;
    }

    /// <summary>The time of the next audit event; one minute apart, so time windows are easy to reason about.</summary>
    private DateTimeOffset NextEventAt => DateTimeOffset.UnixEpoch.AddMinutes(_audit.Count);

    /// <summary>Called under the gate right before the mutation's <see cref="Record"/>, so updatedAt equals the event's time.</summary>
    private void Stamp(JsonObject fields)
    {
        if (StampsUpdatedAt)
            fields["updatedAt"] = NextEventAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Record(string actor, string action, string collection, PlatformObject o, string? reason) =>
        _audit.Add(new AuditRecord(_audit.Count + 1, NextEventAt, actor, action, collection, o.Id, o.Key, [], reason));
}
