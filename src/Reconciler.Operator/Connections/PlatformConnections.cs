using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes.Models;
using Reconciler.Kubernetes.Runtime;
using Reconciler.Platform.Client;

namespace Reconciler.Operator.Connections;

/// <summary>One namespace's live connection: the client, the engine over it, the cached platform objects and the policies.</summary>
public sealed class PlatformConnectionState
{
    internal PlatformConnectionState(string @namespace, string name, string clientKey, CachingPlatformClient client, ISecretResolver secrets, PlatformCache cache, PlatformCallCounter counter, OwnRequestIds ownWrites)
    {
        Feed = client;
        OwnWrites = ownWrites;
        Namespace = @namespace;
        Name = name;
        ClientKey = clientKey;
        Client = client;
        Secrets = secrets;
        Cache = cache;
        Counter = counter;
        Engine = new ReconcileEngine(client, secrets);
    }

    public string Namespace { get; }

    public string Name { get; }

    /// <summary>url and token hash: a different key means a different platform or credential, so the cache starts over.</summary>
    public string ClientKey { get; }

    /// <summary>The caching client: what every reconcile uses.</summary>
    public IPlatformClient Client { get; }

    public ISecretResolver Secrets { get; }

    public ReconcileEngine Engine { get; }

    public PlatformCache Cache { get; }

    public PlatformCallCounter Counter { get; }

    public DriftPolicy DriftPolicy { get; internal set; } = DriftPolicy.Correct;

    public TimeSpan ResyncInterval { get; internal set; } = TimeSpan.FromMinutes(10);

    /// <summary>The guards' limits (spec) and overrides (the allow-guards annotation) for the namespace.</summary>
    public Core.Guards.GuardPolicy Guards { get; internal set; } = new();

    /// <summary>Fields other systems own, from the connection's fieldOwners.</summary>
    public Core.FieldOwnership.FieldOwners FieldOwners { get; internal set; } = Core.FieldOwnership.FieldOwners.None;

    /// <summary>True once the token worked for a full list pass; resources wait for it.</summary>
    public bool IsReady { get; internal set; }

    public string? NotReadyMessage { get; internal set; }

    /// <summary>The platform's audit trail, read every <see cref="AuditPollInterval"/> for changes made elsewhere.</summary>
    public IAuditFeed Feed { get; }

    public OwnRequestIds OwnWrites { get; }

    public TimeSpan AuditPollInterval { get; internal set; } = TimeSpan.FromSeconds(2);

    /// <summary>The last audit sequence the cache reflects; null until a list pass set a starting point, or after a gap.</summary>
    public long? FeedSequence { get; internal set; }

    /// <summary>Set when the feed cannot be trusted (a gap, an error): the next connection reconcile lists everything.</summary>
    public bool RelistRequested { get; internal set; }
}

/// <summary>
/// The per-namespace connections, and the Admin API clients behind them (one per url and token, shared by namespaces
/// that use the same platform and credential).
/// </summary>
public sealed class PlatformConnections(ResourceCache<Secret> secrets, PlatformClientMetrics platformMetrics, TimeProvider time, ILoggerFactory loggerFactory) : IDisposable
{
    private readonly ConcurrentDictionary<string, PlatformConnectionState> _byNamespace = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (AdminApiClient Client, HttpClient Http)> _clients = new(StringComparer.Ordinal);

    public PlatformConnectionState? Get(string? @namespace) =>
        @namespace is null ? null : _byNamespace.GetValueOrDefault(@namespace);

    /// <summary>Every connection, for tests and the readiness probe.</summary>
    public IReadOnlyCollection<PlatformConnectionState> All => [.. _byNamespace.Values];

    /// <summary>The state for this url and token, keeping the cache when neither changed.</summary>
    public PlatformConnectionState Connect(string @namespace, string name, Uri url, string token, int requestsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(url);
        var key = url.AbsoluteUri + "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (_byNamespace.TryGetValue(@namespace, out var existing) && existing.ClientKey == key && existing.Name == name)
            return existing;

        var (client, _) = _clients.GetOrAdd(key, _ => CreateClient(url, token, requestsPerSecond));
        var cache = new PlatformCache();
        var counter = new PlatformCallCounter();
        var ownWrites = new OwnRequestIds();
        var state = new PlatformConnectionState(@namespace, name, key, new CachingPlatformClient(client, cache, counter, ownWrites), new KubernetesSecretResolver(secrets, @namespace), cache, counter, ownWrites);
        _byNamespace[@namespace] = state;
        return state;
    }

    public void Disconnect(string @namespace) => _byNamespace.TryRemove(@namespace, out _);

    public void Dispose()
    {
        foreach (var (_, http) in _clients.Values)
            http.Dispose();
    }

    private (AdminApiClient, HttpClient) CreateClient(Uri url, string token, int requestsPerSecond)
    {
        var options = Options.Create(new AdminApiClientOptions
        {
            BaseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/"),
            TokenProvider = new StaticTokenProvider(token),
            RequestsPerSecond = requestsPerSecond,
        });
        var resilience = new AdminApiResilience(options, time, platformMetrics, loggerFactory.CreateLogger<AdminApiResilience>());
        var http = new HttpClient(AdminApiClient.CreateHandler(options.Value));
        return (new AdminApiClient(http, options, resilience, platformMetrics, loggerFactory.CreateLogger<AdminApiClient>()), http);
    }
}
